package dev.jobline.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

/**
 * A small HTTP/1.1 client on one selector thread: keep-alive connections to one loopback port,
 * one request in flight per connection, responses parsed in place. Callbacks run on the loop
 * thread, so a load generator reacts to a response without any hand-off; code on other threads
 * reaches the loop with {@link #execute}. Holds tens of thousands of idle connections for the
 * cost of their sockets and a small buffer each.
 */
final class Loop implements AutoCloseable {
    /** Called on the loop thread with the connection, the status (-1 when the connection broke) and the body. */
    interface Callback {
        void done(Conn c, int status, byte[] body, long nanos);
    }

    private final Selector selector;
    private final InetSocketAddress address;
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(256 * 1024);
    private final Thread thread;
    private volatile boolean closed;
    final String host;

    Loop(int port) {
        try {
            selector = Selector.open();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        address = new InetSocketAddress("127.0.0.1", port);
        host = "127.0.0.1:" + port;
        thread = Thread.ofPlatform().name("bench-loop").daemon().start(this::run);
    }

    /** One keep-alive connection. Touch only on the loop thread. */
    final class Conn {
        private final SocketChannel channel;
        private SelectionKey key;
        private ByteBuffer out;
        private byte[] in = new byte[2048];
        private int inLength;
        private Callback callback;
        boolean connected;
        Object attachment;

        private Conn(SocketChannel channel) {
            this.channel = channel;
        }

        /** Sends one request; {@code cb} gets its response. Loop thread only. */
        void send(byte[] request, Callback cb) {
            if (callback != null) throw new IllegalStateException("a request is already in flight");
            callback = cb;
            out = ByteBuffer.wrap(request);
            if (connected) flush();
        }

        boolean busy() {
            return callback != null;
        }

        private void flush() {
            try {
                channel.write(out);
            } catch (IOException e) {
                broken();
                return;
            }
            key.interestOps(out.hasRemaining() ? SelectionKey.OP_READ | SelectionKey.OP_WRITE : SelectionKey.OP_READ);
        }

        private void broken() {
            Callback cb = callback;
            callback = null;
            close();
            if (cb != null) cb.done(this, -1, new byte[0], System.nanoTime());
        }

        void close() {
            try {
                key.cancel();
                channel.close();
            } catch (IOException ignored) {
                // nothing to do: the socket is gone either way
            }
        }
    }

    /** Runs {@code task} on the loop thread. */
    void execute(Runnable task) {
        tasks.add(task);
        selector.wakeup();
    }

    /** Opens {@code n} connections and completes once all are connected. */
    CompletableFuture<List<Conn>> open(int n) {
        CompletableFuture<List<Conn>> all = new CompletableFuture<>();
        execute(() -> {
            List<Conn> conns = new ArrayList<>(n);
            int[] left = {n};
            if (n == 0) all.complete(conns);
            try {
                for (int i = 0; i < n; i++) {
                    SocketChannel ch = SocketChannel.open();
                    ch.configureBlocking(false);
                    ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
                    ch.setOption(StandardSocketOptions.SO_LINGER, 0); // why: close with RST, leaving no TIME_WAIT to use up ports
                    Conn c = new Conn(ch);
                    conns.add(c);
                    c.attachment = (Runnable) () -> {
                        if (--left[0] == 0) all.complete(conns);
                    };
                    if (ch.connect(address)) {
                        c.key = ch.register(selector, SelectionKey.OP_READ, c);
                        connected(c);
                    } else {
                        c.key = ch.register(selector, SelectionKey.OP_CONNECT, c);
                    }
                }
            } catch (IOException e) {
                for (Conn c : conns) c.close();
                all.completeExceptionally(e);
            }
        });
        return all;
    }

    private void connected(Conn c) {
        c.connected = true;
        Runnable r = (Runnable) c.attachment;
        c.attachment = null;
        if (c.out != null) c.flush();
        else c.key.interestOps(SelectionKey.OP_READ);
        r.run();
    }

    private void run() {
        while (!closed) {
            try {
                selector.select(100);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            for (Runnable r; (r = tasks.poll()) != null; ) {
                try {
                    r.run();
                } catch (RuntimeException e) {
                    e.printStackTrace(); // why: keep the loop alive; the scenario waiting for this task times out and says so
                }
            }
            Iterator<SelectionKey> it = selector.selectedKeys().iterator();
            while (it.hasNext()) {
                SelectionKey k = it.next();
                it.remove();
                Conn c = (Conn) k.attachment();
                if (!k.isValid()) continue;
                if (k.isConnectable()) {
                    try {
                        c.channel.finishConnect();
                        connected(c);
                    } catch (IOException e) {
                        throw new UncheckedIOException("cannot connect to " + address, e);
                    }
                    continue;
                }
                try {
                    if (k.isWritable()) c.flush();
                    if (k.isValid() && k.isReadable()) read(c);
                } catch (RuntimeException e) {
                    e.printStackTrace(); // why: as above
                }
            }
        }
        try {
            for (SelectionKey k : selector.keys()) k.channel().close();
            selector.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    private void read(Conn c) {
        readBuffer.clear();
        int n;
        try {
            n = c.channel.read(readBuffer);
        } catch (IOException e) {
            c.broken();
            return;
        }
        if (n < 0) {
            c.broken();
            return;
        }
        long now = System.nanoTime();
        readBuffer.flip();
        if (c.inLength + n > c.in.length) {
            byte[] bigger = new byte[Math.max(c.in.length * 2, c.inLength + n)];
            System.arraycopy(c.in, 0, bigger, 0, c.inLength);
            c.in = bigger;
        }
        readBuffer.get(c.in, c.inLength, n);
        c.inLength += n;
        parse(c, now);
    }

    /** Completes the response in {@code c.in} if it is all there. */
    private static void parse(Conn c, long now) {
        byte[] b = c.in;
        int end = headerEnd(b, c.inLength);
        if (end < 0) return;
        int status = (b[9] - '0') * 100 + (b[10] - '0') * 10 + (b[11] - '0');
        int length = contentLength(b, end);
        if (length < 0) throw new IllegalStateException("response without Content-Length: " + new String(b, 0, end));
        if (c.inLength < end + length) return;
        byte[] body = new byte[length];
        System.arraycopy(b, end, body, 0, length);
        int extra = c.inLength - end - length;
        System.arraycopy(b, end + length, b, 0, extra); // why: nothing should follow, but keep it if it does
        c.inLength = extra;
        Callback cb = c.callback;
        c.callback = null;
        if (cb != null) cb.done(c, status, body, now);
    }

    private static int headerEnd(byte[] b, int len) {
        for (int i = 3; i < len; i++) {
            if (b[i] == '\n' && b[i - 1] == '\r' && b[i - 2] == '\n' && b[i - 3] == '\r') return i + 1;
        }
        return -1;
    }

    private static final byte[] CONTENT_LENGTH = "\ncontent-length:".getBytes();

    private static int contentLength(byte[] b, int end) {
        outer:
        for (int i = 0; i + CONTENT_LENGTH.length < end; i++) {
            for (int j = 0; j < CONTENT_LENGTH.length; j++) {
                byte x = b[i + j];
                if (x >= 'A' && x <= 'Z') x += 32;
                if (x != CONTENT_LENGTH[j]) continue outer;
            }
            int p = i + CONTENT_LENGTH.length;
            while (b[p] == ' ') p++;
            int v = 0;
            while (b[p] >= '0' && b[p] <= '9') v = v * 10 + (b[p++] - '0');
            return v;
        }
        return -1;
    }

    byte[] get(String path) {
        return ("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\n\r\n").getBytes();
    }

    byte[] post(String path, String json) {
        byte[] body = json.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] head = ("POST " + path + " HTTP/1.1\r\nHost: " + host + "\r\nContent-Type: application/json\r\nContent-Length: "
                + body.length + "\r\n\r\n").getBytes();
        byte[] all = new byte[head.length + body.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(body, 0, all, head.length, body.length);
        return all;
    }

    /** Sends one request from any thread and waits for its answer; for set-up steps, not for load. */
    Response call(Conn c, byte[] request) {
        CompletableFuture<Response> f = new CompletableFuture<>();
        execute(() -> c.send(request, (conn, status, body, nanos) -> f.complete(new Response(status, body, nanos))));
        try {
            return f.get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("request failed: " + new String(request).lines().findFirst().orElse(""), e);
        }
    }

    record Response(int status, byte[] body, long nanos) {
        String text() {
            return new String(body, java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    /** Closes the given connections on the loop thread. */
    void closeAll(List<Conn> conns) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        execute(() -> {
            for (Conn c : conns) c.close();
            done.complete(null);
        });
        done.join();
    }

    @Override
    public void close() {
        closed = true;
        selector.wakeup();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
