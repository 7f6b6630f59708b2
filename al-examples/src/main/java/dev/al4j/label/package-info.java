/**
 * The labelling page behind {@code al4j label}: {@link dev.al4j.label.LabelServer} (an embedded Jetty server: the
 * page, the pool's images by id, a small token-protected JSON API) over a {@link dev.al4j.label.LabelSession}, which
 * runs an {@code ActiveLearningLoop} through its step API ({@code nextQuery} / {@code submit}) on one owner thread and
 * writes every answer to the loop's label store before it moves on. The pool's pictures come from
 * {@link dev.al4j.label.ItemImages} (by pool id only, never a file name), a folder of images from
 * {@link dev.al4j.label.ImageFolder}.
 */
package dev.al4j.label;
