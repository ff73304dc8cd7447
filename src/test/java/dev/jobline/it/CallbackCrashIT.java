package dev.jobline.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jobline.TestHttp;
import dev.jobline.callback.Receiver;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Callbacks on the real jar: one the receiver has not taken yet survives kill -9 and is delivered after the restart. */
@Timeout(180)
class CallbackCrashIT {
    private static final String SECRET = "it-secret-abcdef";

    @TempDir
    Path dir;

    @Test
    void aCallbackNotYetDeliveredWhenTheServerIsKilledIsDeliveredAfterTheRestart() throws Exception {
        try (Receiver receiver = new Receiver()) {
            receiver.answer(500, 500, 500, 500, 500, 500, 500, 500, 500, 500);
            String[] args = {"--port", "0", "--data", "data", "--callback-allow", receiver.url("/hook/")};
            Map<String, String> env = Map.of("JOBLINE_CALLBACK_SECRET", SECRET);
            String id;
            String delivery;
            try (JoblineProcess p = JoblineProcess.start(dir, env, args)) {
                TestHttp http = new TestHttp(p.url());
                TestHttp.Answer a = http.post("/api/jobs", "{\"type\":\"sleep\",\"params\":{\"seconds\":0},\"callback\":{\"url\":\""
                        + receiver.url("/hook/crash") + "\"}}");
                assertThat(a.status()).as(a.body()).isEqualTo(202);
                id = a.json().get("id").asText();
                delivery = receiver.next(30).header("Jobline-Delivery"); // answered 500: not delivered
                p.kill();
            }
            receiver.answerAll200();
            while (receiver.pending() > 0) receiver.next(1);
            try (JoblineProcess p = JoblineProcess.start(dir, env, args)) {
                TestHttp http = new TestHttp(p.url());
                Receiver.Request r = receiver.next(60);
                assertThat(r.header("Jobline-Delivery")).isEqualTo(delivery);
                assertThat(Receiver.signatureValid(r.header("Jobline-Signature"), r.body(), SECRET)).isTrue();
                assertThat(r.text()).contains(id);
                JsonNode history = await().atMost(Duration.ofSeconds(30)).until(() -> http.get("/api/jobs/" + id + "/deliveries").json(),
                        h -> h.size() > 0 && h.get(h.size() - 1).get("state").asText().equals("delivered"));
                List<String> ids = new ArrayList<>();
                history.forEach(e -> ids.add(e.get("delivery").asText()));
                assertThat(ids).containsOnly(delivery);
                assertThat(p.terminate(60)).isIn(0, 143);
            }
        }
    }

    @Test
    void aCallbackToAReceiverThatWasDownIsDeliveredOnceItIsUpAfterAKill9() throws Exception {
        int port;
        try (java.net.ServerSocket free = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        String hook = "http://127.0.0.1:" + port + "/hook/";
        String[] args = {"--port", "0", "--data", "data", "--callback-allow", hook};
        Map<String, String> env = Map.of("JOBLINE_CALLBACK_SECRET", SECRET);
        String id;
        try (JoblineProcess p = JoblineProcess.start(dir, env, args)) {
            TestHttp http = new TestHttp(p.url());
            id = http.post("/api/jobs", "{\"type\":\"sleep\",\"params\":{\"seconds\":0},\"callback\":{\"url\":\"" + hook + "down\"}}")
                    .json().get("id").asText();
            JsonNode refused = await().atMost(Duration.ofSeconds(30)).until(() -> http.get("/api/jobs/" + id + "/deliveries").json(),
                    h -> h.size() > 0 && h.get(0).get("attempt").asInt() >= 1); // why: the delivery exists once the job's end is stored
            assertThat(refused.get(0).get("status").isNull()).isTrue();
            assertThat(refused.get(0).get("error").asText()).contains("could not connect");
            assertThat(refused.get(0).get("state").asText()).isEqualTo("pending");
            p.kill();
        }
        try (Receiver receiver = new Receiver(port); JoblineProcess p = JoblineProcess.start(dir, env, args)) {
            Receiver.Request r = receiver.next(60);
            assertThat(r.header("Jobline-Event")).isEqualTo("job.succeeded");
            assertThat(Receiver.signatureValid(r.header("Jobline-Signature"), r.body(), SECRET)).isTrue();
            TestHttp http = new TestHttp(p.url());
            JsonNode history = await().atMost(Duration.ofSeconds(30)).until(() -> http.get("/api/jobs/" + id + "/deliveries").json(),
                    h -> h.get(h.size() - 1).get("state").asText().equals("delivered"));
            assertThat(history.get(history.size() - 1).get("delivery").asText()).isEqualTo(r.header("Jobline-Delivery"));
            assertThat(receiver.pending()).isZero();
        }
    }

    @Test
    void theJarRefusesToStartWithCallbacksAllowedButNoSecret() throws Exception {
        Process p = new ProcessBuilder(JoblineProcess.java(), "-jar", JoblineProcess.jar().toString(), "--port", "0", "--store", "memory",
                "--callback-allow", "http://127.0.0.1:9/hook/").redirectErrorStream(true).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isEqualTo(3);
        assertThat(new String(p.getInputStream().readAllBytes())).contains("--callback-allow needs a secret");
    }
}
