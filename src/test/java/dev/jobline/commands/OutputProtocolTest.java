package dev.jobline.commands;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jobline.commands.OutputProtocol.Progress;
import dev.jobline.commands.OutputProtocol.Result;
import dev.jobline.commands.OutputProtocol.Text;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OutputProtocolTest {

    @Test
    void progressLinesAsPercentOrDoneOfTotal() {
        assertThat(OutputProtocol.parse("progress 42")).isEqualTo(new Progress(42, null, null, null));
        assertThat(OutputProtocol.parse("progress 42.5 copying  files ")).isEqualTo(new Progress(42.5, null, null, "copying  files"));
        assertThat(OutputProtocol.parse("progress 3/10 three")).isEqualTo(new Progress(30, 3L, 10L, "three"));
        assertThat(OutputProtocol.parse("progress\t12/10")).isEqualTo(new Progress(100, 12L, 10L, null));
    }

    @Test
    void linesThatOnlyLookLikeReportsAreLogLines() {
        for (String line : List.of("progress", "progress: 10", "progress -5", "progress 1e3", "progressing 10", "progress 10%",
                "Progress 10", " progress 10", "resultant", "result", "results {}")) {
            assertThat(OutputProtocol.parse(line)).as(line).isEqualTo(new Text(line, null));
        }
        assertThat(OutputProtocol.parse("progress 1/0 x")).isEqualTo(new Text("progress 1/0 x", "a progress line needs a total above 0"));
        assertThat(OutputProtocol.parse("result {\"a\": 1} trailing")).isInstanceOfSatisfying(Text.class,
                t -> assertThat(t.problem()).startsWith("a result line must hold JSON"));
    }

    @Test
    void aResultLineHoldsAnyJson() {
        assertThat(OutputProtocol.parse("result {\"ok\": true}")).isInstanceOfSatisfying(Result.class,
                r -> assertThat(r.value().get("ok").asBoolean()).isTrue());
        assertThat(OutputProtocol.parse("result [1, 2]")).isInstanceOf(Result.class);
    }

    private static List<String> lines(byte[] bytes, int max) {
        List<String> out = new ArrayList<>();
        LineReader.read(new ByteArrayInputStream(bytes), max, out::add);
        return out;
    }

    @Test
    void readsLinesEndedByLfOrCrLfAndALastLineWithoutEnd() {
        assertThat(lines("a\r\nb\n\nc".getBytes(StandardCharsets.UTF_8), 100)).containsExactly("a", "b", "", "c");
    }

    @Test
    void cutsALongLineAtACharacterBoundaryAndSkipsTheRestOfIt() {
        String eacute = "\u00e9"; // two bytes in UTF-8
        byte[] input = ("ab" + eacute.repeat(10) + "\nnext\n").getBytes(StandardCharsets.UTF_8);
        assertThat(lines(input, 5)).containsExactly("ab" + eacute, "next");
        byte[] big = ("x".repeat(100_000) + "\nend\n").getBytes(StandardCharsets.UTF_8);
        assertThat(lines(big, LineReader.MAX_LINE)).containsExactly("x".repeat(LineReader.MAX_LINE), "end");
    }

    @Test
    void malformedBytesBecomeReplacementCharacters() {
        assertThat(lines(new byte[] {'a', (byte) 0xff, 'b', '\n'}, 100)).containsExactly("a\ufffdb");
    }

    @Test
    void aCheckpointLineHoldsJsonOrIsLoggedAsItIs() {
        assertThat(OutputProtocol.parse("checkpoint {\"page\": 3}")).isInstanceOfSatisfying(OutputProtocol.Checkpoint.class,
                c -> assertThat(c.value().get("page").asInt()).isEqualTo(3));
        assertThat(OutputProtocol.parse("checkpoint {page")).isInstanceOfSatisfying(Text.class,
                t -> assertThat(t.problem()).startsWith("a checkpoint line must hold JSON"));
        assertThat(OutputProtocol.parse("checkpointed 3 pages")).isInstanceOf(Text.class);
    }
}
