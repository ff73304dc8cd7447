package dev.jobline.job;

import com.fasterxml.jackson.databind.JsonNode;

/** The work of a job type. Runs on its own virtual thread; what it returns becomes the job's result. */
@FunctionalInterface
public interface JobHandler {
    Object run(JobContext ctx, JsonNode params) throws Exception;
}
