package dev.jobline.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jobline.types.SleepJob;
import dev.jobline.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ParamsSchemaTest {
    private final ObjectNode sleep = SleepJob.type().paramsSchema();

    private static JsonNode json(String s) throws Exception {
        return Json.MAPPER.readTree(s);
    }

    @Test
    void fillsInDefaultsForMissingParams() throws Exception {
        ObjectNode out = ParamsSchema.validate(sleep, json("{}"));
        assertThat(out.get("seconds").asDouble()).isEqualTo(5);
        assertThat(out.get("steps").asInt()).isEqualTo(100);
        assertThat(out.has("failAt")).isFalse();
    }

    @Test
    void nullParamsMeanAllDefaults() {
        assertThat(ParamsSchema.validate(sleep, null).get("steps").asInt()).isEqualTo(100);
    }

    @Test
    void acceptsIntegralNumbersWrittenWithAFraction() throws Exception {
        assertThat(ParamsSchema.validate(sleep, json("{\"steps\": 10.0}")).get("steps").asInt()).isEqualTo(10);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"seconds\": -1}            | params.seconds must be a number from 0 to 86400, not -1",
            "{\"seconds\": 86401}         | params.seconds must be a number from 0 to 86400",
            "{\"seconds\": \"5\"}          | params.seconds must be a number",
            "{\"steps\": 1.5}             | params.steps must be an integer from 1 to 100000",
            "{\"steps\": 0}               | params.steps must be an integer from 1 to 100000",
            "{\"failAt\": 101}            | params.failAt must be a number from 0 to 100",
            "{\"failAt\": true}           | params.failAt must be a number",
            "{\"sconds\": 1}              | params.sconds is not a parameter of this job type; known: seconds, steps, failAt",
            "{\"seconds\": 1e400}         | params.seconds must be a number"})
    void namesTheFieldAndTheRule(String params, String message) throws Exception {
        JsonNode p = json(params);
        assertThatThrownBy(() -> ParamsSchema.validate(sleep, p))
                .isInstanceOf(InvalidParamsException.class)
                .hasMessageStartingWith(message.trim());
    }

    @Test
    void refusesSchemasWithKeywordsItDoesNotCheck() throws Exception {
        ObjectNode schema = (ObjectNode) json("{\"type\":\"object\",\"properties\":{\"x\":{\"type\":\"number\",\"multipleOf\":2}}}");
        assertThatThrownBy(() -> JobType.of("x", "", schema, (c, p) -> null))
                .hasMessageContaining("unsupported schema keyword in x: multipleOf");
    }

    @Test
    void aPatternMustBeFoundInAStringParam() throws Exception {
        ObjectNode schema = (ObjectNode) json("{\"type\":\"object\",\"properties\":{\"db\":{\"type\":\"string\",\"pattern\":\"^[a-z_]{1,32}$\"}}}");
        assertThat(ParamsSchema.validate(schema, json("{\"db\":\"sales_eu\"}")).get("db").asText()).isEqualTo("sales_eu");
        assertThatThrownBy(() -> ParamsSchema.validate(schema, json("{\"db\":\"x; rm -rf /\"}")))
                .hasMessage("params.db must match the pattern ^[a-z_]{1,32}$");
        ObjectNode broken = (ObjectNode) json("{\"type\":\"object\",\"properties\":{\"db\":{\"type\":\"string\",\"pattern\":\"[a-\"}}}");
        assertThatThrownBy(() -> JobType.of("x", "", broken, (c, p) -> null)).hasMessageContaining("pattern of db is not a regular expression");
        ObjectNode onNumber = (ObjectNode) json("{\"type\":\"object\",\"properties\":{\"n\":{\"type\":\"number\",\"pattern\":\"1\"}}}");
        assertThatThrownBy(() -> JobType.of("x", "", onNumber, (c, p) -> null)).hasMessageContaining("on a property of type string");
    }

    @Test
    void requiredParamsMustBePresent() throws Exception {
        ObjectNode schema = (ObjectNode) json("{\"type\":\"object\",\"required\":[\"name\"],\"properties\":{\"name\":{\"type\":\"string\",\"maxLength\":3}}}");
        assertThatThrownBy(() -> ParamsSchema.validate(schema, json("{}"))).hasMessage("params.name is required");
        assertThatThrownBy(() -> ParamsSchema.validate(schema, json("{\"name\":\"long\"}")))
                .hasMessage("params.name must be at most 3 characters long");
        assertThat(ParamsSchema.validate(schema, json("{\"name\":\"abc\",\"extra\":1}")).get("extra").asInt()).isEqualTo(1);
    }
}
