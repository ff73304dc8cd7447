package dev.jobline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.jobline.json.Json;
import dev.jobline.web.Tokens;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Stopping a server answers what it holds before it stops listening. */
@Timeout(60)
class ShutdownTest {

    @Test
    void aWatchAndALongPollHeldWithATokenAreAnsweredNotFailedWhenTheServerStops() throws Exception {
        Config config = Config.parse(new String[] {"--port", "0", "--store", "memory", "--grace", "1s"}, Map.of())
                .withTokens(Tokens.parse("alice user s3cret"));
        Jobline jobline = Jobline.start(config);
        HttpClient client = HttpClient.newHttpClient();
        java.util.function.Function<String, HttpRequest> get = path -> HttpRequest.newBuilder(URI.create(jobline.url() + path))
                .header("Authorization", "Bearer s3cret").build();
        String cursor = Json.MAPPER.readTree(client.send(get.apply("/api/jobs"), HttpResponse.BodyHandlers.ofString()).body())
                .get("cursor").asText();
        // why: a watch filtered by its owner is rechecked after a pause; a stop used to come before its answer and fail it
        CompletableFuture<HttpResponse<String>> watch = client.sendAsync(get.apply("/api/jobs?after=" + cursor + "&wait=60s"),
                HttpResponse.BodyHandlers.ofString());
        await().atMost(Duration.ofSeconds(10)).until(() -> jobline.watch().waiting() == 1);
        CompletableFuture.runAsync(jobline::close);
        HttpResponse<String> answer = watch.get(30, TimeUnit.SECONDS);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        assertThat(Json.MAPPER.readTree(answer.body()).get("jobs")).isEmpty();
    }
}
