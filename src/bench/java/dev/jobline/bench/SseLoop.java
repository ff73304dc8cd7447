package dev.jobline.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Server-Sent Events streams on one selector thread: each stream is a request written once and
 * a chunked response read for as long as it lasts, cut into events. Callbacks run on the loop
 * thread with the time the event's bytes were read.
 */
final class SseLoop implements AutoCloseable {
    /** One event of a stream; {@code name} is "open" once the response's first bytes arrived, "end" when it closed. */
    interface Listener {
        void event(Stream s, String name, String id, byte[] data, long nanos);
    }

    private final Selector selector;
    private final InetSocketAddress address;
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(256 * 1024);
    private final Thread thread;
    private volatile boolean closed;

    SseLoop(int port) {
        try {
            selector = Selector.open();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        address = new InetSocketAddress("127.0.0.1", port);
        thread = Thread.ofPlatform().name("bench-sse").daemon().start(this::run);
    }

    /** One stream. Touch only on the loop thread. */
    final class Stream {
        private final SocketChannel channel;
        private final Listener listener;
        private SelectionKey key;
        private ByteBuffer out;
        private boolean headersDone;
        private final StringBuilder head = new StringBuilder();
        private long chunkLeft = -1; // -1: reading a chunk-size line
        private final StringBuilder sizeLine = new StringBuilder();
        private int crlfToSkip;
        private byte[] body = new byte[4096];
        private int bodyLength;
        Object attachment;

        private Stream(SocketChannel channel, Listener listener) {
            this.channel = channel;
            this.listener = listener;
        }

        void close() {
            try {
                key.cancel();
                channel.close();
            } catch (IOException ignored) {
                // gone either way
            }
        }

        private void feed(ByteBuffer b, long now) {
            while (b.hasRemaining()) {
                if (!headersDone) {
                    head.append((char) b.get());
                    if (head.length() >= 4 && head.substring(head.length() - 4).equals("\r\n\r\n")) {
                        headersDone = true;
                        listener.event(this, "open", head.substring(9, 12), new byte[0], now);
                    }
                } else if (crlfToSkip > 0) {
                    b.get();
                    crlfToSkip--;
                } else if (chunkLeft < 0) {
                    char c = (char) b.get();
                    if (c == '\n') {
                        String hex = sizeLine.toString().trim();
                        sizeLine.setLength(0);
                        if (hex.isEmpty()) continue;
                        chunkLeft = Long.parseLong(hex, 16);
                        if (chunkLeft == 0) chunkLeft = -1;
                    } else {
                        sizeLine.append(c);
                    }
                } else {
                    int take = (int) Math.min(chunkLeft, b.remaining());
                    if (bodyLength + take > body.length) body = java.util.Arrays.copyOf(body, Math.max(body.length * 2, bodyLength + take));
                    b.get(body, bodyLength, take);
                    bodyLength += take;
                    chunkLeft -= take;
                    if (chunkLeft == 0) {
                        chunkLeft = -1;
                        crlfToSkip = 2;
                    }
                    events(now);
                }
            }
        }

        private void events(long now) {
            int start = 0;
            for (int i = 0; i + 1 < bodyLength; i++) {
                if (body[i] == '\n' && body[i + 1] == '\n') {
                    event(start, i, now);
                    start = i + 2;
                    i++;
                }
            }
            System.arraycopy(body, start, body, 0, bodyLength - start);
            bodyLength -= start;
        }

        private void event(int from, int to, long now) {
            String name = null, id = null;
            byte[] data = null;
            int line = from;
            for (int i = from; i <= to; i++) {
                if (i == to || body[i] == '\n') {
                    String l = new String(body, line, i - line, StandardCharsets.UTF_8);
                    if (l.startsWith("event: ")) name = l.substring(7);
                    else if (l.startsWith("id: ")) id = l.substring(4);
                    else if (l.startsWith("data: ")) data = l.substring(6).getBytes(StandardCharsets.UTF_8);
                    else if (l.startsWith(":")) name = "comment";
                    line = i + 1;
                }
            }
            if (name != null) listener.event(this, name, id, data == null ? new byte[0] : data, now);
        }
    }

    void execute(Runnable task) {
        tasks.add(task);
        selector.wakeup();
    }

    /** Opens a stream: GET {@code path} with Accept: text/event-stream and, when not null, Last-Event-ID. */
    Stream open(String path, String lastEventId, Listener listener) {
        try {
            SocketChannel ch = SocketChannel.open();
            ch.configureBlocking(false);
            ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
            Stream s = new Stream(ch, listener);
            String req = "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n"
                    + (lastEventId == null ? "" : "Last-Event-ID: " + lastEventId + "\r\n") + "\r\n";
            s.out = ByteBuffer.wrap(req.getBytes(StandardCharsets.US_ASCII));
            execute(() -> {
                try {
                    s.key = ch.register(selector, SelectionKey.OP_CONNECT, s);
                    if (ch.connect(address)) s.key.interestOps(SelectionKey.OP_WRITE);
                } catch (IOException e) {
                    listener.event(s, "end", null, new byte[0], System.nanoTime());
                }
            });
            return s;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void run() {
        while (!closed) {
            try {
                selector.select(100);
            } catch (IOException e) {
                return;
            }
            for (Runnable t; (t = tasks.poll()) != null; ) t.run();
            long now = System.nanoTime();
            Iterator<SelectionKey> it = selector.selectedKeys().iterator();
            while (it.hasNext()) {
                SelectionKey k = it.next();
                it.remove();
                Stream s = (Stream) k.attachment();
                try {
                    if (!k.isValid()) continue;
                    if (k.isConnectable()) {
                        s.channel.finishConnect();
                        k.interestOps(SelectionKey.OP_WRITE);
                    }
                    if (k.isValid() && k.isWritable()) {
                        s.channel.write(s.out);
                        if (!s.out.hasRemaining()) k.interestOps(SelectionKey.OP_READ);
                    }
                    if (k.isValid() && k.isReadable()) {
                        readBuffer.clear();
                        int r = s.channel.read(readBuffer);
                        if (r < 0) {
                            s.close();
                            s.listener.event(s, "end", null, new byte[0], now);
                            continue;
                        }
                        readBuffer.flip();
                        s.feed(readBuffer, now);
                    }
                } catch (IOException | RuntimeException e) {
                    s.close();
                    s.listener.event(s, "end", null, new byte[0], now);
                }
            }
        }
    }

    /** Closes every stream in {@code all} on the loop thread, and returns once they are closed (their files are free again). */
    void closeAll(List<Stream> all) {
        List<Stream> copy = new ArrayList<>(all);
        java.util.concurrent.CompletableFuture<Void> done = new java.util.concurrent.CompletableFuture<>();
        execute(() -> {
            copy.forEach(Stream::close);
            done.complete(null);
        });
        done.join();
    }

    @Override
    public void close() {
        closed = true;
        selector.wakeup();
        try {
            thread.join(5_000);
            selector.close();
        } catch (InterruptedException | IOException ignored) {
            // the loop is going away
        }
    }
}
