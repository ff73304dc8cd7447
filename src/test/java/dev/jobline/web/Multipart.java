package dev.jobline.web;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;

/** Builds a multipart/form-data body for tests (the server parses it with Jetty's parser). */
public final class Multipart {
    public static final String BOUNDARY = "jobline-test-7f3a9c";
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    public Multipart text(String name, String value) {
        return part("form-data; name=\"" + name + "\"", null, value.getBytes(StandardCharsets.UTF_8));
    }

    public Multipart file(String filename, String contentType, byte[] bytes) {
        return part("form-data; name=\"file\"; filename=\"" + filename + "\"", contentType, bytes);
    }

    public Multipart part(String disposition, String contentType, byte[] bytes) {
        write("--" + BOUNDARY + "\r\nContent-Disposition: " + disposition + "\r\n");
        if (contentType != null) write("Content-Type: " + contentType + "\r\n");
        write("\r\n");
        out.writeBytes(bytes);
        write("\r\n");
        return this;
    }

    public byte[] bytes() {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        all.writeBytes(out.toByteArray());
        all.writeBytes(("--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return all.toByteArray();
    }

    public HttpRequest.Builder post(String uri) {
        return HttpRequest.newBuilder(java.net.URI.create(uri)).header("Content-Type", "multipart/form-data; boundary=" + BOUNDARY)
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes()));
    }

    private void write(String s) {
        out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
    }
}
