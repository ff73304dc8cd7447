package dev.jobline.callback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class CallbackPolicyTest {
    private final CallbackPolicy policy = CallbackPolicy.parse("https://hooks.example, https://Other.Example:8443/jobline/ ,http://127.0.0.1:9000/cb");

    @Test
    void schemeHostAndPortMustBeEqualAndThePathMustStartWithThePrefixPath() {
        assertThat(policy.allows("https://hooks.example/")).isTrue();
        assertThat(policy.allows("https://hooks.example")).isTrue();
        assertThat(policy.allows("https://HOOKS.example:443/any/path?x=1")).isTrue();
        assertThat(policy.allows("https://other.example:8443/jobline/a")).isTrue();
        assertThat(policy.allows("http://127.0.0.1:9000/cb/x")).isTrue();
        assertThat(policy.allows("http://127.0.0.1:9000/cb-old")).as("a prefix path without / matches as text").isTrue();
    }

    @Test
    void lookalikeHostsPortsSchemesAndPathsAreNotAllowed() {
        for (String url : new String[] {"https://hooks.example.evil.com/", "https://hooks.example@evil.com/", "https://evil.com/https://hooks.example/",
                "https://hooks.example:444/", "http://hooks.example/", "https://hooks.example./", "https://other.example/jobline/",
                "https://other.example:8443/jobline", "https://other.example:8443/joblinex/", "https://other.example:8443/jobline/../admin",
                "https://other.example:8443/jobline/%2E%2E/admin", "https://other.example:8443/jobline/..%2fadmin",
                "https://other.example:8443/jobline/a#frag", "http://127.0.0.1:9001/cb", "http://127.0.0.2:9000/cb", "file:///etc/passwd",
                "javascript:alert(1)", "//hooks.example/", "https:hooks.example", "not a url"}) {
            assertThat(policy.allows(url)).as(url).isFalse();
        }
    }

    @Test
    void acceptNamesTheFieldAndTheRule() {
        JsonNodeFactory f = JsonNodeFactory.instance;
        assertThat(policy.accept(null)).isNull();
        assertThat(policy.accept(f.objectNode().put("url", "https://hooks.example/x")).url()).isEqualTo("https://hooks.example/x");
        assertThatThrownBy(() -> policy.accept(f.objectNode().put("url", "https://evil.com/")))
                .isInstanceOfSatisfying(CallbackPolicy.Refused.class, r -> assertThat(r.status()).isEqualTo(422))
                .hasMessageContaining("callback.url").hasMessageContaining("--callback-allow");
        assertThatThrownBy(() -> policy.accept(f.objectNode().put("url", "ftp://hooks.example/")))
                .hasMessageContaining("callback.url must be an http or https URL");
        assertThatThrownBy(() -> policy.accept(f.objectNode().put("url", "https://hooks.example/").put("headers", 1)))
                .isInstanceOfSatisfying(CallbackPolicy.Refused.class, r -> assertThat(r.status()).isEqualTo(400))
                .hasMessageContaining("callback.headers");
        assertThatThrownBy(() -> CallbackPolicy.NONE.accept(f.objectNode().put("url", "https://hooks.example/")))
                .hasMessageContaining("accepts no callbacks");
    }

    @Test
    void aPrefixThatIsNotAnHttpUrlIsRefusedAtStart() {
        for (String bad : new String[] {"hooks.example", "ftp://hooks.example/", "https://hooks.example/?q=1", "https://u@hooks.example/"}) {
            assertThatThrownBy(() -> CallbackPolicy.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(bad);
        }
        assertThat(CallbackPolicy.parse(" , ").enabled()).isFalse();
    }

    @Test
    void retriesBackOffExponentiallyWithJitterUpToTenMinutes() {
        for (int n = 1; n <= 40; n++) {
            Duration d = Deliveries.backoff(n);
            assertThat(d).isBetween(Duration.ofMillis(100), n >= 11 ? Duration.ofMinutes(10) : Duration.ofSeconds(1L << (n - 1)));
        }
    }
}
