package io.tidegate.config;

import java.util.List;

/**
 * {@code http-check send [meth M] [uri U] [ver V] [hdr NAME VALUE]... [body TEXT]} (HAProxy 2.2+):
 * the request HTTP health checks send. What is not written comes from {@code option httpchk}
 * (method, URI, version), then HAProxy's defaults.
 *
 * @param method  null = not written
 * @param uri     null = not written
 * @param version null = not written
 * @param headers {@code hdr NAME VALUE} pairs, in order, each as {@code NAME: VALUE}
 * @param body    null = none
 */
public record HttpCheckSend(String method, String uri, String version, List<String> headers, String body) {
    public HttpCheckSend {
        headers = headers == null ? List.of() : List.copyOf(headers);
    }
}
