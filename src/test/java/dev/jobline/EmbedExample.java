package dev.jobline;

// embed-example:begin
import dev.jobline.job.Job;
import dev.jobline.job.JobType;
import java.time.Duration;
import java.util.Map;

public class EmbedExample {
    public static void main(String[] args) throws Exception {
        JobType resize = JobType.of("resize", "Resizes an image in ten tiles", null, (ctx, params) -> {
            for (int tile = 1; tile <= 10; tile++) {
                ctx.sleep(Duration.ofMillis(20));        // the real work goes here
                ctx.progress(tile, 10, "tile " + tile + " of 10");
            }
            return Map.of("width", 640, "height", 480);
        });
        Config config = Config.defaults().withPort(0).withStore("memory", null);
        try (Jobline jobline = Jobline.start(config, resize)) {
            System.out.println("serving " + jobline.url());   // the HTTP API and page, with "resize" in it
            Job job = jobline.engine().submit("resize", null, null);
            long version = 0;
            while (!job.isTerminal()) {                        // the same loop a curl client runs
                job = jobline.awaitChange(job.id(), version, Duration.ofSeconds(30)).get().job();
                version = job.version();
            }
            System.out.println(job.state().wireName() + " " + job.result());
        }
    }
}
// embed-example:end
