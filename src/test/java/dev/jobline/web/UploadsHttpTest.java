package dev.jobline.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.jobline.TestHttp;
import dev.jobline.TestHttp.Answer;
import dev.jobline.engine.EngineOptions;
import dev.jobline.engine.Quotas;
import dev.jobline.engine.Uploads;
import dev.jobline.time.Timers;
import dev.jobline.types.DigestJob;
import io.javalin.testtools.JavalinTest;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Uploads over real HTTP: raw and multipart bodies to disk under server-made names, the limits, the download, the one-request submit. */
@Timeout(60)
class UploadsHttpTest {
    @TempDir
    Path folder;

    private ApiFixture fixture(WebOptions web) {
        return new ApiFixture(EngineOptions.defaults().withUploads(folder), Quotas.none(), Timers.system(Clock.systemUTC()), web,
                DigestJob.type());
    }

    static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    private static Answer upload(TestHttp http, String query, String contentType, byte[] body) {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(http.uri("/api/uploads" + query)))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) r.header("Content-Type", contentType);
        return http.send(r);
    }

    private long filesIn(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.count();
        }
    }

    @Test
    void aRawBodyIsStoredUnderAServerMadeNameWithItsSha256AndServedOnlyAsAnAttachment() throws Exception {
        ApiFixture fx = fixture(WebOptions.local());
        JavalinTest.test(fx.app, (server, client) -> {
            TestHttp http = new TestHttp(client.getOrigin());
            byte[] body = "root:x:0:0:root:/root:/bin/sh\n<script>alert(1)</script>\n".getBytes(StandardCharsets.UTF_8);
            Answer a = upload(http, "?name=..%2F..%2Fetc%2Fpasswd", "text/html", body);
            assertThat(a.status()).isEqualTo(201);
            String id = a.json().get("id").asText();
            assertThat(a.header("Location")).isEqualTo("/api/uploads/" + id);
            assertThat(a.json().get("name").asText()).isEqualTo("passwd");
            assertThat(a.json().get("size").asLong()).isEqualTo(body.length);
            assertThat(a.json().get("sha256").asText()).isEqualTo(sha256(body));
            assertThat(a.json().get("contentType").asText()).isEqualTo("text/html");
            assertThat(a.json().has("createdAt")).isTrue();
            assertThat(Files.readAllBytes(folder.resolve(id))).isEqualTo(body);
            try (Stream<Path> all = Files.walk(folder.getParent())) {
                assertThat(all.filter(p -> p.getFileName().toString().equals("passwd")).toList()).as("no file takes the client's name").isEmpty();
            }
            assertThat(http.get("/api/uploads/" + id).json()).isEqualTo(a.json());
            assertThat(http.get("/api/uploads").json().get("uploads").get(0).get("id").asText()).isEqualTo(id);

            HttpResponse<byte[]> content = http.sendBytes(HttpRequest.newBuilder(URI.create(http.uri("/api/uploads/" + id + "/content"))));
            assertThat(content.statusCode()).isEqualTo(200);
            assertThat(content.body()).isEqualTo(body);
            assertThat(content.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/html"));
            assertThat(content.headers().firstValue("Content-Length")).contains(String.valueOf(body.length));
            assertThat(content.headers().firstValue("Content-Disposition")).contains("attachment; filename*=UTF-8''passwd");
            assertThat(content.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
            assertThat(content.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(v -> assertThat(v).startsWith("sandbox"));

            assertThat(http.delete("/api/uploads/" + id).status()).isEqualTo(204);
            assertThat(http.get("/api/uploads/" + id).status()).isEqualTo(404);
            assertThat(http.get("/api/uploads/" + id + "/content").status()).isEqualTo(404);
            assertThat(Files.exists(folder.resolve(id))).isFalse();
            fx.engine.close();
        });
    }

    @Test
    void clientNamesAreCutToTheirLastSegmentAndKeptAsMetadataOnly() {
        assertThat(Uploads.cleanName("../../etc/passwd")).isEqualTo("passwd");
        assertThat(Uploads.cleanName("..\\..\\Windows\\win.ini")).isEqualTo("win.ini");
        assertThat(Uploads.cleanName("")).isEqualTo("upload");
        assertThat(Uploads.cleanName(null)).isEqualTo("upload");
        assertThat(Uploads.cleanName("dir/..")).isEqualTo("upload");
        assertThat(Uploads.cleanName("a\u0000b\nc\u202e.txt")).isEqualTo("abc.txt");
        assertThat(Uploads.cleanName("x".repeat(1000))).hasSizeLessThanOrEqualTo(255);
    }

    @Test
    void aMultipartUploadStreamsItsFilePartAndTheGlobalBodyLimitDoesNotApply() throws Exception {
        ApiFixture fx = fixture(WebOptions.local()); // why: --max-body is 64 KiB here; the upload is larger
        JavalinTest.test(fx.app, (server, client) -> {
            TestHttp http = new TestHttp(client.getOrigin());
            byte[] png = new byte[300_000];
            new java.util.Random(7).nextBytes(png);
            System.arraycopy(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0a}, 0, png, 0, 8);
            Answer a = http.send(new Multipart().file("../../etc/passwd", null, png).post(http.uri("/api/uploads")));
            assertThat(a.status()).as(a.body()).isEqualTo(201);
            assertThat(a.json().get("name").asText()).isEqualTo("passwd");
            assertThat(a.json().get("sha256").asText()).isEqualTo(sha256(png));
            assertThat(a.json().get("contentType").asText()).isEqualTo("image/png");
            assertThat(Files.readAllBytes(folder.resolve(a.json().get("id").asText()))).isEqualTo(png);

            Answer windows = http.send(new Multipart().part("form-data; name=\"file\"; filename=\"C:\\Users\\me\\..\\report \\\"final\\\".txt\"",
                    "text/plain", "x".getBytes(StandardCharsets.UTF_8)).post(http.uri("/api/uploads")));
            assertThat(windows.status()).as(windows.body()).isEqualTo(201);
            assertThat(windows.json().get("name").asText()).as("a browser's Windows path keeps only its last segment").isEqualTo("report \"final\".txt");

            Answer raw = upload(http, "", null, png);
            assertThat(raw.status()).isEqualTo(201);
            assertThat(raw.json().get("name").asText()).isEqualTo("upload");

            Answer noFile = http.send(new Multipart().text("other", "x").post(http.uri("/api/uploads")));
            assertThat(noFile.status()).isEqualTo(400);
            assertThat(noFile.json().get("detail").asText()).contains("other");
            Answer broken = http.send(HttpRequest.newBuilder(URI.create(http.uri("/api/uploads")))
                    .header("Content-Type", "multipart/form-data; boundary=" + Multipart.BOUNDARY)
                    .POST(HttpRequest.BodyPublishers.ofString("--" + Multipart.BOUNDARY + "\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\nabc")));
            assertThat(broken.status()).isEqualTo(400);
            await().untilAsserted(() -> assertThat(filesIn(folder)).as("no partial file is left").isEqualTo(3));
            fx.engine.close();
        });
    }

    @Test
    void aDeclaredLengthOverTheUploadLimitGets413BeforeAnyByteIsRead() {
        ApiFixture fx = fixture(WebOptions.local().withMaxUpload(1 << 20));
        JavalinTest.test(fx.app, (server, client) -> {
            URI origin = URI.create(client.getOrigin());
            for (String target : new String[] {"POST /api/uploads", "POST /api/jobs"}) {
                String answer = EdgeLimitsTest.exchange(origin, target + " HTTP/1.1\r\nHost: x\r\n"
                        + "Content-Type: multipart/form-data; boundary=b\r\nContent-Length: 104857600\r\n\r\n", 5_000);
                assertThat(answer).as(target).startsWith("HTTP/1.1 413 ").contains("1048576 bytes at most");
            }
            assertThat(filesIn(folder)).isZero();
            fx.engine.close();
        });
    }

    @Test
    void aChunkedUploadThatPassesTheLimitWhileStreamingGets413AndLeavesNoFile() {
        ApiFixture fx = fixture(WebOptions.local().withMaxUpload(1 << 20));
        JavalinTest.test(fx.app, (server, client) -> {
            URI origin = URI.create(client.getOrigin());
            StringBuilder request = new StringBuilder("POST /api/uploads?name=big.bin HTTP/1.1\r\nHost: x\r\n"
                    + "Content-Type: application/octet-stream\r\nTransfer-Encoding: chunked\r\n\r\n");
            for (int i = 0; i < 1100; i++) request.append("400\r\n").append("x".repeat(1024)).append("\r\n"); // 1.1 MiB
            request.append("0\r\n\r\n");
            String answer = EdgeLimitsTest.exchange(origin, request.toString(), 10_000);
            assertThat(answer).startsWith("HTTP/1.1 413 ").contains("1048576 bytes at most");
            await().untilAsserted(() -> assertThat(filesIn(folder)).as("the partial file is removed").isZero());
            assertThat(new TestHttp(client.getOrigin()).get("/api/uploads").json().get("uploads")).isEmpty();
            fx.engine.close();
        });
    }
}
