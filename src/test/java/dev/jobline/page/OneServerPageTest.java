package dev.jobline.page;

import com.microsoft.playwright.Page;
import dev.jobline.Jobline;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/** Browser tests that share one server (on the memory store) for the class, each with the page opened afresh in a tab of its own. */
abstract class OneServerPageTest extends BrowserTest {
    protected static Jobline server;
    protected Page tab;
    protected JobsPage page;

    @BeforeAll
    static void startServer() {
        server = JobsPage.server(0);
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    @BeforeEach
    void openPage() {
        tab = chromium.newPage();
        page = JobsPage.open(tab, server.url());
    }

    @AfterEach
    void closePage() {
        tab.context().close();
    }
}
