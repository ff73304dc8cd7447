package dev.jobline.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jobline.TestHttp;
import dev.jobline.TestHttp.Answer;
import dev.jobline.engine.EngineOptions;
import dev.jobline.engine.Quotas;
import dev.jobline.job.JobType;
import dev.jobline.job.ParamsSchema;
import dev.jobline.time.Timers;
import dev.jobline.types.DigestJob;
import io.javalin.testtools.JavalinTest;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Uploads and the jobs that use them: owners, a delete refused while a job uses one, the one-request submit, digest. */
@Timeout(60)
class UploadJobsHttpTest {
    private static final String TOKENS = "alice user alice-secret\nbob user bob-secret\nroot admin root-secret\n";

    @TempDir
    Path folder;

    private final CountDownLatch gate = new CountDownLatch(1);

    /** A type with an upload param that reads its file, then waits for the test's gate. */
    private JobType holding() {
        ObjectNode schema = ParamsSchema.emptyObject();
        ((ObjectNode) schema.get("properties")).putObject("file").put("type", "string").put("format", "upload");
        schema.putArray("required").add("file");
        return JobType.of("hold", "reads its upload, then waits", schema, (ctx, params) -> {
            long size = Files.size(ctx.upload(params.get("file").asText()));
            if (!gate.await(30, TimeUnit.SECONDS)) throw new IllegalStateException("gate never opened");
            return Map.of("size", size, "name", ctx.uploadName(params.get("file").asText()));
        });
    }

    private ApiFixture fixture(WebOptions web) {
        return new ApiFixture(EngineOptions.defaults().withUploads(folder), Quotas.none(), Timers.system(Clock.systemUTC()), web,
                DigestJob.type(), holding());
    }

    private static Answer as(TestHttp http, String token, String method, String path, String body) {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(http.uri(path)))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) r.header("Authorization", "Bearer " + token);
        return http.send(r);
    }

    private static Answer finished(TestHttp http, String token, String id) {
        await().atMost(java.time.Duration.ofSeconds(30)).until(() -> as(http, token, "GET", "/api/jobs/" + id, null).json()
                .get("state").asText().matches("succeeded|failed|cancelled"));
        return as(http, token, "GET", "/api/jobs/" + id, null);
    }

    @Test
    void anotherOwnersUploadIsNotThereForAUserButAnAdminSeesIt() {
        ApiFixture fx = fixture(WebOptions.local().withTokens(Tokens.parse(TOKENS)));
        JavalinTest.test(fx.app, (server, client) -> {
            TestHttp http = new TestHttp(client.getOrigin());
            Answer up = as(http, "alice-secret", "POST", "/api/uploads?name=a.txt", "alice's text\n");
            assertThat(up.status()).isEqualTo(201);
            assertThat(up.json().get("owner").asText()).isEqualTo("alice");
            String id = up.json().get("id").asText();
            for (String path : new String[] {"/api/uploads/" + id, "/api/uploads/" + id + "/content"}) {
                assertThat(as(http, "bob-secret", "GET", path, null).status()).as(path).isEqualTo(404);
                assertThat(as(http, "alice-secret", "GET", path, null).status()).as(path).isEqualTo(200);
                assertThat(as(http, "root-secret", "GET", path, null).status()).as(path).isEqualTo(200);
            }
            assertThat(as(http, "bob-secret", "GET", "/api/uploads", null).json().get("uploads")).isEmpty();
            assertThat(as(http, "root-secret", "GET", "/api/uploads", null).json().get("uploads")).hasSize(1);
            assertThat(as(http, "bob-secret", "DELETE", "/api/uploads/" + id, null).status()).isEqualTo(404);
            Answer stolen = as(http, "bob-secret", "POST", "/api/jobs", "{\"type\":\"digest\",\"params\":{\"upload\":\"" + id + "\"}}");
            assertThat(stolen.status()).isEqualTo(422);
            assertThat(stolen.json().get("detail").asText()).contains("params.upload");
            assertThat(as(http, null, "GET", "/api/uploads", null).status()).isEqualTo(401);
            fx.engine.close();
        });
    }

    @Test
    void anUploadCannotBeDeletedWhileAQueuedOrRunningJobUsesItAndGoesWithTheLastJob() {
        ApiFixture fx = fixture(WebOptions.local());
        JavalinTest.test(fx.app, (server, client) -> {
            TestHttp http = new TestHttp(client.getOrigin());
            String id = http.post("/api/uploads?name=../x.csv", "a,b\n1,2\n").json().get("id").asText();
            Answer job = http.post("/api/jobs", "{\"type\":\"hold\",\"params\":{\"file\":\"" + id + "\"}}");
            assertThat(job.status()).isEqualTo(202);
            Answer refused = http.delete("/api/uploads/" + id);
            assertThat(refused.status()).isEqualTo(409);
            assertThat(refused.json().get("detail").asText()).contains("queued or running job");
            gate.countDown();
            Answer done = finished(http, null, job.json().get("id").asText());
            assertThat(done.json().get("result").get("size").asInt()).isEqualTo(8);
            assertThat(done.json().get("result").get("name").asText()).isEqualTo("x.csv");
            assertThat(http.post("/api/jobs", "{\"type\":\"hold\",\"params\":{\"file\":\"nope\"}}").json().get("detail").asText())
                    .contains("params.file");
            assertThat(http.delete("/api/jobs/" + job.json().get("id").asText()).status()).isEqualTo(204);
            fx.engine.sweep();
            assertThat(http.get("/api/uploads/" + id).status()).as("deleted with the last job that used it").isEqualTo(404);
            assertThat(Files.exists(folder.resolve(id))).isFalse();
            fx.engine.close();
        });
    }

    @Test
    void aMultipartSubmitStoresTheUploadAndStartsTheJobOnItInOneRequest() throws Exception {
        ApiFixture fx = fixture(WebOptions.local());
        JavalinTest.test(fx.app, (server, client) -> {
            TestHttp http = new TestHttp(client.getOrigin());
            byte[] csv = "name,n\né,1\nß,2\n".getBytes(StandardCharsets.UTF_8);
            Answer a = http.send(new Multipart().text("type", "digest").text("params", "{\"algorithms\":[\"md5\",\"sha256\",\"sha1\"]}")
                    .file("dir/data.csv", "text/csv", csv).post(http.uri("/api/jobs")));
            assertThat(a.status()).as(a.body()).isEqualTo(202);
            assertThat(a.header("Location")).isEqualTo("/api/jobs/" + a.json().get("id").asText());
            String upload = a.json().get("params").get("upload").asText();
            assertThat(http.get("/api/uploads/" + upload).json().get("name").asText()).isEqualTo("data.csv");
            Answer done = finished(http, null, a.json().get("id").asText());
            assertThat(done.json().get("state").asText()).as(done.body()).isEqualTo("succeeded");
            var r = done.json().get("result");
            assertThat(r.get("size").asLong()).isEqualTo(csv.length);
            assertThat(r.get("sha256").asText()).isEqualTo(hex("SHA-256", csv));
            assertThat(r.get("md5").asText()).isEqualTo(hex("MD5", csv));
            assertThat(r.get("sha1").asText()).isEqualTo(hex("SHA-1", csv));
            assertThat(r.has("sha512")).isFalse();
            assertThat(r.get("contentType").asText()).isEqualTo("text/csv; charset=utf-8");
            assertThat(r.get("lines").asLong()).isEqualTo(3);
            assertThat(done.json().get("progress").get("done").asLong()).isEqualTo(csv.length);

            Answer badParams = http.send(new Multipart().text("type", "digest").text("params", "{\"algorithms\":[\"crc32\"]}")
                    .file("x.bin", null, new byte[] {0, 1, 2}).post(http.uri("/api/jobs")));
            assertThat(badParams.status()).isEqualTo(422);
            assertThat(badParams.json().get("detail").asText()).contains("params.algorithms[0]");
            Answer noType = http.send(new Multipart().file("x.bin", null, new byte[] {0}).post(http.uri("/api/jobs")));
            assertThat(noType.status()).isEqualTo(400);
            assertThat(noType.json().get("detail").asText()).contains("type");
            assertThat(http.get("/api/uploads").json().get("uploads")).as("refused submits keep no upload").hasSize(1);
            fx.engine.close();
        });
    }

    @Test
    void aRepeatedMultipartSubmitWithTheSameIdempotencyKeyAnswersTheFirstJobAndKeepsOneUpload() {
        ApiFixture fx = fixture(WebOptions.local());
        JavalinTest.test(fx.app, (server, client) -> {
            TestHttp http = new TestHttp(client.getOrigin());
            byte[] file = "same bytes\n".getBytes(StandardCharsets.UTF_8);
            Answer first = http.send(new Multipart().text("type", "digest").file("a.txt", null, file).post(http.uri("/api/jobs"))
                    .header("Idempotency-Key", "k-1"));
            Answer again = http.send(new Multipart().text("type", "digest").file("a.txt", null, file).post(http.uri("/api/jobs"))
                    .header("Idempotency-Key", "k-1"));
            assertThat(first.status()).isEqualTo(202);
            assertThat(again.status()).isEqualTo(202);
            assertThat(again.json().get("id")).isEqualTo(first.json().get("id"));
            assertThat(http.get("/api/uploads").json().get("uploads")).as("the repeat's upload is not kept").hasSize(1);
            Answer other = http.send(new Multipart().text("type", "digest").file("a.txt", null, "other".getBytes(StandardCharsets.UTF_8))
                    .post(http.uri("/api/jobs")).header("Idempotency-Key", "k-1"));
            assertThat(other.status()).isEqualTo(422);
            assertThat(http.get("/api/uploads").json().get("uploads")).hasSize(1);
            fx.engine.close();
        });
    }

    @Test
    void digestTellsBinaryFromTextAndCountsNoLinesForBinary() throws Exception {
        ApiFixture fx = fixture(WebOptions.local());
        JavalinTest.test(fx.app, (server, client) -> {
            TestHttp http = new TestHttp(client.getOrigin());
            byte[] gz = {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, (byte) 0xff, 0x0a, 0x0a};
            String id = http.send(HttpRequest.newBuilder(URI.create(http.uri("/api/uploads?name=a.gz")))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(gz))).json().get("id").asText();
            Answer job = http.post("/api/jobs", "{\"type\":\"digest\",\"params\":{\"upload\":\"" + id + "\",\"algorithms\":[\"sha512\"]}}");
            var r = finished(http, null, job.json().get("id").asText()).json().get("result");
            assertThat(r.get("sha512").asText()).isEqualTo(hex("SHA-512", gz));
            assertThat(r.get("contentType").asText()).isEqualTo("application/gzip");
            assertThat(r.get("lines").isNull()).isTrue();
            fx.engine.close();
        });
    }

    private static String hex(String algorithm, byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(b));
    }
}
