package dev.jobline.cli;

import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;

/**
 * Why an HTTP exchange failed, in a few words ({@code connection refused}, {@code no such host},
 * {@code timed out after 10s while connecting}, {@code the server closed the connection without an
 * answer}), and whether a connection was made at all. Java's class names never reach the user; an
 * unknown failure gets a generic phrase and its message when that message reads as words.
 *
 * @param words what went wrong, for a message
 * @param unconnected no connection was made: refused, no such host, no route, or the connect timed out
 */
record TransportError(String words, boolean unconnected) {
    /** A class name or a package, which is no message for a person. */
    private static final Pattern NOT_HUMAN = Pattern.compile("[A-Za-z]*(Exception|Error)\\b|\\bjava\\.|\\$");

    static TransportError of(IOException e, Duration connectTimeout, Duration requestTimeout) {
        boolean connecting = false;
        boolean closed = false;
        String connectMessage = null;
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof UnresolvedAddressException || t instanceof UnknownHostException) return unconnected("no such host");
            if (t instanceof HttpConnectTimeoutException) return unconnected("timed out after " + span(connectTimeout) + " while connecting");
            if (t instanceof HttpTimeoutException) return connected("timed out after " + span(requestTimeout) + " waiting for an answer");
            if (t instanceof NoRouteToHostException) return unconnected("no route to host");
            if (t instanceof SSLException) return connected("the TLS handshake failed" + detail(t));
            if (t instanceof ConnectException) {
                connecting = true;
                if (connectMessage == null && human(t.getMessage())) connectMessage = t.getMessage();
            }
            if (t instanceof SocketException && "Connection reset".equals(t.getMessage())) return connected("the server reset the connection");
            if (t instanceof EOFException || t instanceof ClosedChannelException) closed = true;
        }
        // why: the JDK's client reports a refused connection as a ConnectException without a message
        if (connecting) return unconnected(connectMessage == null ? "connection refused" : lowerFirst(connectMessage));
        if (closed || String.valueOf(e.getMessage()).contains("received no bytes")) return connected("the server closed the connection without an answer");
        return connected("the connection failed" + detail(e));
    }

    private static TransportError unconnected(String words) {
        return new TransportError(words, true);
    }

    private static TransportError connected(String words) {
        return new TransportError(words, false);
    }

    /** {@code 500ms}, {@code 10s}, {@code 2m}, {@code 24h}: a duration as the options write it. */
    static String span(Duration d) {
        long ms = d.toMillis();
        if (ms % 1000 != 0) return ms + "ms";
        long s = ms / 1000;
        if (s < 120 || s % 60 != 0) return s + "s";
        return s % 3600 == 0 ? s / 3600 + "h" : s / 60 + "m";
    }

    private static String detail(Throwable t) {
        return human(t.getMessage()) ? " (" + lowerFirst(t.getMessage()) + ")" : "";
    }

    private static boolean human(String message) {
        return message != null && !message.isBlank() && !NOT_HUMAN.matcher(message).find();
    }

    private static String lowerFirst(String s) {
        return s.isEmpty() ? s : s.substring(0, 1).toLowerCase(Locale.ROOT) + s.substring(1);
    }
}
