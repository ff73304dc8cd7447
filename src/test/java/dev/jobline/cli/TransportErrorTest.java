package dev.jobline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class TransportErrorTest {
    private static String describe(IOException e) {
        return TransportError.of(e, Duration.ofSeconds(10), Duration.ofSeconds(30)).words();
    }

    private static boolean unconnected(IOException e) {
        return TransportError.of(e, Duration.ofSeconds(10), Duration.ofSeconds(30)).unconnected();
    }

    private static <T extends Throwable> T causedBy(T t, Throwable cause) {
        t.initCause(cause);
        return t;
    }

    @Test
    void aRefusedConnectionAsTheJdkReportsItIsConnectionRefused() {
        // why: JDK 21 to 25 throw ConnectException(null) <- ConnectException(null) <- ClosedChannelException(null)
        assertThat(describe(causedBy(new ConnectException(), causedBy(new ConnectException(), new ClosedChannelException()))))
                .isEqualTo("connection refused");
        assertThat(describe(new ConnectException("Connection refused"))).isEqualTo("connection refused");
        assertThat(describe(new ConnectException("Network is unreachable"))).isEqualTo("network is unreachable");
    }

    @Test
    void anUnresolvableHostIsNoSuchHost() {
        assertThat(describe(causedBy(new ConnectException(), new UnresolvedAddressException()))).isEqualTo("no such host");
        assertThat(describe(new UnknownHostException("nowhere.invalid"))).isEqualTo("no such host");
    }

    @Test
    void timeoutsSayHowLongWasWaitedAndForWhat() {
        assertThat(describe(new HttpConnectTimeoutException("HTTP connect timed out"))).isEqualTo("timed out after 10s while connecting");
        assertThat(describe(new HttpTimeoutException("request timed out"))).isEqualTo("timed out after 30s waiting for an answer");
    }

    @Test
    void aConnectionTheServerDroppedSaysSo() {
        assertThat(describe(causedBy(new IOException("HTTP/1.1 header parser received no bytes"), new EOFException("EOF reached while reading"))))
                .isEqualTo("the server closed the connection without an answer");
        assertThat(describe(causedBy(new IOException("HTTP/1.1 header parser received no bytes"), new SocketException("Connection reset"))))
                .isEqualTo("the server reset the connection");
    }

    @Test
    void anUnknownFailureGetsAGenericPhraseWithItsMessageOnlyWhenThatReadsAsWords() {
        assertThat(describe(new IOException("too many redirects"))).isEqualTo("the connection failed (too many redirects)");
        assertThat(describe(new IOException("java.lang.IllegalStateException: boom"))).isEqualTo("the connection failed");
        assertThat(describe(new IOException())).isEqualTo("the connection failed");
    }

    @Test
    void onlyFailuresToConnectCountAsNoConnectionMade() {
        assertThat(unconnected(causedBy(new ConnectException(), new ClosedChannelException()))).isTrue();
        assertThat(unconnected(causedBy(new ConnectException(), new UnresolvedAddressException()))).isTrue();
        assertThat(unconnected(new HttpConnectTimeoutException("HTTP connect timed out"))).isTrue();
        assertThat(unconnected(causedBy(new IOException("HTTP/1.1 header parser received no bytes"), new EOFException()))).isFalse();
        assertThat(unconnected(new HttpTimeoutException("request timed out"))).isFalse();
    }

    @Test
    void durationsAreWrittenAsTheOptionsTakeThem() {
        assertThat(TransportError.span(Duration.ofMillis(500))).isEqualTo("500ms");
        assertThat(TransportError.span(Duration.ofSeconds(60))).isEqualTo("60s");
        assertThat(TransportError.span(Duration.ofMinutes(5))).isEqualTo("5m");
        assertThat(TransportError.span(Duration.ofHours(24))).isEqualTo("24h");
    }
}
