package dev.al4j.label;

import dev.al4j.core.io.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The labelling page's web server (Jetty, core API): the page itself, the pool's images by id, and a small JSON API
 * over a {@link LabelSession}.
 *
 * <table>
 * <caption>Routes; every one needs the token</caption>
 * <tr><td>{@code GET /}</td><td>the page (HTML, CSS and script inline: nothing from the internet)</td></tr>
 * <tr><td>{@code GET /api/state}</td><td>the session's state and the class names</td></tr>
 * <tr><td>{@code GET /api/image/ID}</td><td>pool item {@code ID}'s image</td></tr>
 * <tr><td>{@code POST /api/answer}</td><td>{@code {"round": R, "id": ID, "label": L}}: one answer, stored before the
 * reply</td></tr>
 * <tr><td>{@code POST /api/close}</td><td>{@code {"round": R}}: close the round, train, query again</td></tr>
 * </table>
 *
 * <p><b>Safe by default.</b> Every request needs the token, as the query parameter {@code token} or the header
 * {@code X-Al4j-Token}: without one the answer is 401, with a wrong one 403 (compared in constant time). Bodies are
 * JSON objects of at most {@link #MAX_BODY_BYTES} bytes (413 beyond); a malformed body, an id not in the open query
 * or a label outside {@code [0, K)} is a 400 with a message and nothing is stored; an answer to a closed round is a
 * 409. The server binds the host it is given (the command's default is {@code 127.0.0.1}).
 *
 * <pre>{@code
 * LabelServer server = LabelServer.start(session, images, classNames, "127.0.0.1", 0, LabelServer.randomToken());
 * System.out.println(server.url());
 * }</pre>
 *
 * <p>Thread-safe; stop it with {@link #close()} (the session is the caller's to close).
 */
public final class LabelServer implements AutoCloseable {

    /** The largest request body accepted. */
    public static final int MAX_BODY_BYTES = 4096;

    /** The header that may carry the token instead of the query parameter. */
    public static final String TOKEN_HEADER = "X-Al4j-Token";

    private static final String PAGE_RESOURCE = "/dev/al4j/label/label.html";

    private final Server server;
    private final ServerConnector connector;
    private final String host;
    private final String token;

    private LabelServer(Server server, ServerConnector connector, String host, String token) {
        this.server = server;
        this.connector = connector;
        this.host = host;
        this.token = token;
    }

    /** A random token: 128 bits from {@link SecureRandom}, in hex. */
    public static String randomToken() {
        byte[] bytes = new byte[16];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /**
     * Checks a token: at least 8 characters, all URL-safe ({@code A-Z a-z 0-9 . _ ~ -}), so that the printed URL
     * carries it as it is.
     *
     * @throws IllegalArgumentException naming {@code --token} otherwise
     */
    public static void checkToken(String token) {
        if (token == null || token.length() < 8 || !token.matches("[A-Za-z0-9._~-]+")) {
            throw new IllegalArgumentException("--token must be at least 8 characters from A-Z a-z 0-9 . _ ~ -, "
                    + "found " + (token == null ? "none" : token.length() + " characters"));
        }
    }

    /**
     * Starts serving.
     *
     * @param port the port, or 0 for a free one
     * @throws IllegalArgumentException when the token is shorter than 8 characters or not URL-safe, the port is
     *     outside {@code [0, 65535]}, or {@code classNames} does not have {@code session.numClasses()} names
     * @throws IOException when the port cannot be bound
     */
    public static LabelServer start(LabelSession session, ItemImages images, List<String> classNames, String host,
            int port, String token) throws IOException {
        Objects.requireNonNull(session, "session");
        Objects.requireNonNull(images, "images");
        Objects.requireNonNull(host, "host");
        checkToken(token);
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("--port must be in [0, 65535], found " + port);
        }
        if (classNames.size() != session.numClasses()) {
            throw new IllegalArgumentException("classNames must have " + session.numClasses() + " names, found "
                    + classNames.size());
        }
        byte[] page;
        try (InputStream in = LabelServer.class.getResourceAsStream(PAGE_RESOURCE)) {
            page = Objects.requireNonNull(in, PAGE_RESOURCE).readAllBytes();
        }
        QueuedThreadPool threads = new QueuedThreadPool(16, 2);
        threads.setName("al4j-label-http");
        threads.setDaemon(true);
        Server server = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setRequestHeaderSize(8192);
        ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
        connector.setHost(host);
        connector.setPort(port);
        server.addConnector(connector);
        server.setHandler(new Routes(session, images, List.copyOf(classNames), page,
                token.getBytes(StandardCharsets.UTF_8)));
        try {
            server.start();
        } catch (IOException e) {
            stopQuietly(server);
            throw new IOException("cannot listen on " + host + ":" + port + ": " + e.getMessage(), e);
        } catch (Exception e) {
            stopQuietly(server);
            throw new IllegalStateException("cannot start the web server: " + e, e);
        }
        return new LabelServer(server, connector, host, token);
    }

    /** The port it listens on (the free port chosen for port 0). */
    public int port() {
        return connector.getLocalPort();
    }

    /** The page's address with the token, to open in a browser. */
    public String url() {
        String shown = host.contains(":") ? "[" + host + "]" : host;
        return "http://" + shown + ":" + port() + "/?token=" + token;
    }

    /** Stops serving (the session stays open). */
    @Override
    public void close() {
        stopQuietly(server);
    }

    private static void stopQuietly(Server server) {
        try {
            server.stop();
        } catch (Exception e) {
            // stopping: nothing left to do
        }
    }

    /** The routes; every answer carries no-store and no-referrer headers. */
    private static final class Routes extends Handler.Abstract {

        private final LabelSession session;
        private final ItemImages images;
        private final List<String> classNames;
        private final byte[] page;
        private final byte[] token;

        Routes(LabelSession session, ItemImages images, List<String> classNames, byte[] page, byte[] token) {
            this.session = session;
            this.images = images;
            this.classNames = classNames;
            this.page = page;
            this.token = token;
        }

        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
            response.getHeaders().put("Referrer-Policy", "no-referrer");
            response.getHeaders().put("X-Content-Type-Options", "nosniff");
            response.getHeaders().put("X-Frame-Options", "DENY");
            String given = givenToken(request);
            if (given == null) {
                return error(response, callback, 401, "this page needs its token: open the URL al4j label printed");
            }
            if (!MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), token)) {
                return error(response, callback, 403, "wrong token: open the URL al4j label printed");
            }
            String path = Request.getPathInContext(request);
            String method = request.getMethod();
            try {
                if (path.equals("/") && method.equals("GET")) {
                    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/html; charset=utf-8");
                    response.getHeaders().put("Content-Security-Policy", "default-src 'none'; img-src 'self'; "
                            + "style-src 'unsafe-inline'; script-src 'unsafe-inline'; connect-src 'self'");
                    response.write(true, ByteBuffer.wrap(page), callback);
                    return true;
                }
                if (path.equals("/api/state") && method.equals("GET")) {
                    return json(response, callback, 200, stateJson(session.state()));
                }
                if (path.startsWith("/api/image/") && method.equals("GET")) {
                    return image(path.substring("/api/image/".length()), response, callback);
                }
                if (path.equals("/api/answer") && method.equals("POST")) {
                    Map<String, Object> body = body(request);
                    LabelSession.State s = session.answer(integer(body, "round"), integer(body, "id"),
                            integer(body, "label"));
                    return json(response, callback, 200, stateJson(s));
                }
                if (path.equals("/api/close") && method.equals("POST")) {
                    Map<String, Object> body = body(request);
                    return json(response, callback, 200, stateJson(session.closeRound(integer(body, "round"))));
                }
                if (path.equals("/") || path.equals("/api/state") || path.equals("/api/answer")
                        || path.equals("/api/close") || path.startsWith("/api/image/")) {
                    return error(response, callback, 405, "method " + method + " not allowed on " + path);
                }
                return error(response, callback, 404, "no such page: " + path);
            } catch (BodyTooLarge e) {
                return error(response, callback, 413, e.getMessage());
            } catch (LabelSession.ConflictException e) {
                return error(response, callback, 409, e.getMessage());
            } catch (IllegalArgumentException e) {
                return error(response, callback, 400, e.getMessage());
            } catch (RuntimeException e) {
                return error(response, callback, 500, "internal error: " + e);
            }
        }

        private boolean image(String idText, Response response, Callback callback) {
            int id;
            try {
                id = Integer.parseInt(idText);
            } catch (NumberFormatException e) {
                return error(response, callback, 404, "no such image: ids are pool ids 0.." + (images.size() - 1));
            }
            if (id < 0 || id >= images.size()) {
                return error(response, callback, 404, "no such image: ids are pool ids 0.." + (images.size() - 1));
            }
            ItemImages.Image img = images.image(id);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, img.contentType());
            response.write(true, ByteBuffer.wrap(img.bytes()), callback);
            return true;
        }

        private static String givenToken(Request request) {
            String header = request.getHeaders().get(TOKEN_HEADER);
            if (header != null) {
                return header;
            }
            Fields query = Request.extractQueryParameters(request);
            Fields.Field field = query.get("token");
            return field == null ? null : field.getValue();
        }

        /** The body as a JSON object, at most {@link #MAX_BODY_BYTES} bytes. */
        private static Map<String, Object> body(Request request) {
            long declared = request.getLength();
            if (declared > MAX_BODY_BYTES) {
                throw new BodyTooLarge(declared);
            }
            byte[] bytes;
            try (InputStream in = Content.Source.asInputStream(request)) {
                bytes = in.readNBytes(MAX_BODY_BYTES + 1);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            if (bytes.length > MAX_BODY_BYTES) {
                throw new BodyTooLarge(bytes.length);
            }
            Object parsed;
            try {
                parsed = Json.parse(new String(bytes, StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("the body must be a JSON object: " + e.getMessage(), e);
            }
            if (!(parsed instanceof Map<?, ?>)) {
                throw new IllegalArgumentException("the body must be a JSON object, found " + parsed);
            }
            return Json.object(parsed);
        }

        private static int integer(Map<String, Object> body, String name) {
            Object v = body.get(name);
            if (!(v instanceof Double d) || d != Math.rint(d) || Math.abs(d) > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("\"" + name + "\" must be an integer, found "
                        + (v instanceof String ? "\"" + v + "\"" : v));
            }
            return d.intValue();
        }

        private String stateJson(LabelSession.State s) {
            StringBuilder b = new StringBuilder("{");
            b.append("\"phase\":").append(Json.quote(s.phase().name().toLowerCase(Locale.ROOT)));
            b.append(",\"round\":").append(s.round());
            b.append(",\"ids\":").append(java.util.Arrays.toString(s.ids()).replace(" ", ""));
            b.append(",\"answers\":{");
            boolean first = true;
            for (Map.Entry<Integer, Integer> e : s.answers().entrySet()) {
                b.append(first ? "" : ",").append('"').append(e.getKey()).append("\":").append(e.getValue());
                first = false;
            }
            b.append("},\"acquired\":").append(s.acquired()).append(",\"budget\":").append(session.budget());
            b.append(",\"task\":").append(Json.quote(s.task()));
            b.append(",\"done\":").append(s.done()).append(",\"total\":").append(s.total());
            b.append(",\"accuracy\":[");
            for (int i = 0; i < s.accuracy().size(); i++) {
                double[] p = s.accuracy().get(i);
                b.append(i == 0 ? "" : ",").append('[').append((long) p[0]).append(',')
                        .append(Double.isFinite(p[1]) ? Double.toString(p[1]) : "null").append(']');
            }
            b.append("],\"error\":").append(Json.quote(s.error()));
            b.append(",\"classes\":[");
            for (int i = 0; i < classNames.size(); i++) {
                b.append(i == 0 ? "" : ",").append(Json.quote(classNames.get(i)));
            }
            return b.append("]}").toString();
        }

        private static boolean json(Response response, Callback callback, int status, String json) {
            response.setStatus(status);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json; charset=utf-8");
            response.write(true, ByteBuffer.wrap(json.getBytes(StandardCharsets.UTF_8)), callback);
            return true;
        }

        private static boolean error(Response response, Callback callback, int status, String message) {
            return json(response, callback, status, "{\"error\":" + Json.quote(String.valueOf(message)) + "}");
        }
    }

    /** A request body over the limit. */
    private static final class BodyTooLarge extends RuntimeException {
        private static final long serialVersionUID = 1L;

        BodyTooLarge(long size) {
            super("the body must be at most " + MAX_BODY_BYTES + " bytes, found " + size);
        }
    }
}
