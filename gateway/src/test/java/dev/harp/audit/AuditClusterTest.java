package dev.harp.audit;

import dev.harp.audit.tlog.Checkpoint;
import dev.harp.audit.tlog.NoteSignature;
import dev.harp.audit.tlog.NoteSigner;
import dev.harp.audit.tlog.SignedNote;
import dev.harp.audit.tlog.BundleVerifier;
import dev.harp.cli.HarpCli;
import dev.harp.dashboard.Browser;
import dev.harp.testkit.Await;
import dev.harp.testkit.HarpTestCluster;
import dev.harp.testkit.SystemTools;
import dev.harp.testkit.TestAdmin;
import dev.harp.testkit.TestUpstream;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import picocli.CommandLine;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The audit trail on a real 3-node cluster with quorum 2, in the order a user meets it: traffic is recorded on the
 * node that served it and cosigned by the others, each node's export verifies offline, a witness refuses a forked
 * log, a restart of every node keeps the log and its search, tampering with the stored records by hand (the
 * {@code sqlite3} tool) or with the checkpoints' signatures makes {@code verify} fail naming what, and with one node
 * down checkpoints still become final (2 of 3). The methods share one cluster and run in order.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AuditClusterTest {

  private static final int PER_NODE = 20;

  /** One directory for the class's shared cluster: data directories, exports and keys. */
  private Path dir;

  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
  private TestUpstream upstream;
  private HarpTestCluster cluster;
  private Path keys;
  private final List<Path> cleanBundles = new ArrayList<>();
  /** A transaction node-2 served, covered by a final checkpoint (test 1). */
  private String requestId;

  @BeforeAll
  void start(@TempDir Path tmp) {
    dir = tmp;
    upstream = TestUpstream.start().handler(req -> req.response().putHeader("Content-Type", "application/json")
        .end("{\"item\": \"" + req.path() + "\", \"token\": \"not-in-the-log\"}"));
    cluster = HarpTestCluster.start(3, this::yaml);
  }

  private String yaml(HarpTestCluster.NodeSpec spec) {
    return spec.baseConfig() + """
        audit: {dataDir: '%s', quorum: 2, checkpointInterval: 200ms, commitWindow: 20ms}
        proxies:
          - name: api
            bind: 127.0.0.1
            port: %d
            upstream: {endpoints: ['%s']}
            capture: {bodyPreview: 1KiB}
        """.formatted(dir.resolve(spec.name()), spec.proxyPort(0), upstream.url());
  }

  @AfterAll
  void stop() {
    if (cluster != null) {
      cluster.close();
    }
    if (upstream != null) {
      upstream.close();
    }
  }

  @Test
  @Order(1)
  void everyNodesTrafficIsCosignedAndItsExportVerifies() throws Exception {
    for (int n = 0; n < 3; n++) {
      for (int i = 0; i < PER_NODE; i++) {
        assertThat(get(n, "/item/node-" + (n + 1) + "/" + i).statusCode()).isEqualTo(200);
      }
    }
    for (int n = 0; n < 3; n++) {
      awaitFinal(n, PER_NODE);
    }
    JsonObject status = admin(0, "/api/audit");
    assertThat(status.getJsonObject("final").getJsonArray("signers").size())
        .as("the log's own signature and at least one other node's cosignature").isGreaterThanOrEqualTo(2);
    assertThat(status.getLong("shed")).isZero();

    String keysFile = adminText(0, "/api/audit/keys");
    assertThat(keysFile).contains("quorum 2");
    assertThat(keysFile.lines().filter(l -> l.startsWith("harp.")).count()).as("3 log keys and 3 witness keys")
        .isEqualTo(6);
    keys = Files.writeString(dir.resolve("keys.txt"), keysFile);
    Path viaCli = dir.resolve("keys-cli.txt");
    assertThat(cli("audit", "keys", "-o", viaCli.toString(), "--admin", adminUrl(2), "--user", login())).isZero();
    assertThat(Files.readString(viaCli)).as("every node publishes the same keys").isEqualTo(keysFile);
    assertThat(Files.getPosixFilePermissions(dir.resolve("node-1/keys/log.key")))
        .as("a private key only its owner reads").isEqualTo(PosixFilePermissions.fromString("rw-------"));

    for (int n = 0; n < 3; n++) {
      Path bundle = export(n, "clean-" + n);
      cleanBundles.add(bundle);
      BundleVerifier.Result r = verify(bundle);
      assertThat(r.ok()).as(r.message()).isTrue();
      assertThat(cli("audit", "verify", bundle.toString(), "--keys", keys.toString())).isZero();
      JsonObject b = new JsonObject(Files.readString(bundle));
      assertThat(b.getJsonArray("records")).hasSize(PER_NODE);
      assertThat(b.getJsonArray("records").getJsonObject(3).getString("record"))
          .contains("/item/node-" + (n + 1) + "/3").doesNotContain("not-in-the-log");
    }

    // A receipt for one transaction, by its request id, verifies on its own.
    HttpResponse<String> one = get(1, "/receipt-me");
    requestId = one.headers().firstValue("X-Request-Id").orElseThrow();
    awaitFinal(1, PER_NODE + 1);
    Path receipt = dir.resolve("receipt.json");
    assertThat(cli("audit", "proof", requestId, "-o", receipt.toString(), "--admin", adminUrl(1), "--user", login()))
        .isZero();
    BundleVerifier.Result r = verify(receipt);
    assertThat(r.ok()).as(r.message()).isTrue();
    assertThat(new JsonObject(Files.readString(receipt)).getJsonArray("records")).hasSize(1);
    Path range = dir.resolve("range.json");
    assertThat(cli("audit", "export", "--from", "0", "-o", range.toString(), "--admin", adminUrl(1),
        "--user", login())).isZero();
    assertThat(cli("audit", "verify", range.toString(), "--keys", keys.toString())).isZero();
  }

  @Test
  @Order(2)
  void theDashboardShowsEveryLogAndATransactionsPlaceInIt() throws Exception {
    try (Browser browser = Browser.start()) {
      browser.driver.get("http://" + TestAdmin.USER + ":" + TestAdmin.PASSWORD + "@127.0.0.1:"
          + cluster.spec(0).adminPort() + "/dashboard/#audit");
      browser.driver.findElement(By.cssSelector("#tabs button[data-view='audit']")).click();
      // The table is redrawn every 2 s: read it whole, in the page, rather than element by element.
      String rows = "return Array.from(document.querySelectorAll('#audit-nodes tbody tr'))"
          + ".map(tr => Array.from(tr.cells).map(td => td.textContent))";
      try {
        browser.waitUpTo(Duration.ofSeconds(15)).until(d -> ((List<?>) browser.js(rows)).size() == 3);
      } catch (org.openqa.selenium.TimeoutException e) {
        throw new AssertionError("the Audit view shows: " + browser.driver.findElement(By.id("audit-verdict"))
            .getText() + "; console: " + browser.consoleErrors(), e);
      }
      for (Object o : (List<?>) browser.js(rows)) {
        List<?> cells = (List<?>) o;
        assertThat(Long.parseLong((String) cells.get(1))).as("log size of %s", cells.get(0))
            .isGreaterThanOrEqualTo(PER_NODE);
        assertThat((String) cells.get(3)).endsWith("(final)");
      }
      assertThat(browser.driver.findElement(By.id("audit-verdict")).getText()).contains("3 logs, no forks");
      browser.screenshot("audit");

      // The transaction search reads the logs; the detail says where the transaction is and that it is cosigned.
      browser.driver.findElement(By.cssSelector("#tabs button[data-view='transactions']")).click();
      browser.driver.findElement(By.id("q-requestId")).sendKeys(requestId);
      browser.driver.findElement(By.id("q-go")).click();
      By row = By.cssSelector("#tx tbody tr[data-request-id='" + requestId + "']");
      browser.waitUpTo(Duration.ofSeconds(10)).until(d -> !d.findElements(row).isEmpty());
      browser.driver.findElement(row).click();
      browser.waitUpTo(Duration.ofSeconds(10)).until(d -> !d.findElements(By.id("audit-log")).isEmpty());
      assertThat(browser.driver.findElement(By.id("audit-log")).getText()).contains("node-2 #")
          .contains("yes: covered by the final checkpoint");
      assertThat(browser.consoleErrors()).isEmpty();
    }
  }

  @Test
  @Order(3)
  void aWitnessRefusesAForkedLog() throws Exception {
    // node-1's own log key, as a node that lies would use it: a second checkpoint of a size node-2 has cosigned.
    NoteSigner logKey = NoteSigner.parse(Files.readString(dir.resolve("node-1/keys/log.key")).trim());
    JsonObject status = admin(0, "/api/audit");
    long size = status.getJsonObject("final").getLong("size");
    byte[] otherRoot = new byte[32];
    otherRoot[0] = 1;
    Checkpoint forked = new Checkpoint(status.getString("origin"), size, otherRoot, List.of());
    String note = new SignedNote(forked.body(), List.of(logKey.sign(forked.body()))).encode();

    List<JsonObject> published = new CopyOnWriteArrayList<>();
    var consumer = cluster.node(2).vertx().eventBus().<JsonObject>consumer(AuditAddresses.FORKS,
        m -> published.add(m.body()));
    Await.result(consumer.completion());
    try {
      Throwable refused = Await.failure(cluster.node(0).vertx().eventBus().request(AuditAddresses.witness("node-2"),
          new JsonObject().put("note", note).put("oldSize", size).put("proof", new JsonArray())));
      assertThat(refused).isInstanceOf(ReplyException.class).hasMessageContaining("fork");
      assertThat(((ReplyException) refused).failureCode()).isEqualTo(Witness.REFUSED);
      Await.until("the fork is published on the bus", Duration.ofSeconds(10), () -> !published.isEmpty());
      assertThat(published.get(0).getString("origin")).isEqualTo(status.getString("origin"));
      JsonArray forks = admin(1, "/api/audit").getJsonArray("forks");
      assertThat(forks).hasSize(1);
      assertThat(cluster.node(1).metrics().registry().find("harp_audit_forks")
          .tag("origin", status.getString("origin")).counter().count()).isEqualTo(1);
    } finally {
      Await.result(consumer.unregister());
    }
    // The real log goes on being cosigned: the refusal changed nothing the witness remembers.
    assertThat(get(0, "/after-fork").statusCode()).isEqualTo(200);
    awaitFinal(0, size + 1);
  }

  @Test
  @Order(4)
  void restartingEveryNodeKeepsTheLogAndItsSearch() throws Exception {
    long before = admin(0, "/api/audit").getLong("size");
    List<HarpTestCluster.NodeSpec> specs = cluster.specs();
    cluster.close();
    cluster = HarpTestCluster.start(specs, this::yaml);
    assertThat(admin(0, "/api/audit").getLong("size")).as("the log resumes where it was").isEqualTo(before);

    // The dashboard's search reads the durable log, on every node: node-3's traffic, found through node-1.
    JsonObject found = Await.result(cluster.node(0).vertx().eventBus().<JsonObject>request("harp.dashboard.search",
        new JsonObject().put("path", "/item/node-3/7"))).body();
    assertThat(found.getJsonArray("items")).hasSize(1);
    JsonObject row = found.getJsonArray("items").getJsonObject(0);
    assertThat(row.getString("node")).isEqualTo("node-3");
    JsonObject detail = Await.result(cluster.node(0).vertx().eventBus().<JsonObject>request("harp.dashboard.detail",
        new JsonObject().put("node", "node-3").put("id", row.getValue("id")))).body();
    assertThat(detail.getJsonObject("detail").getJsonObject("audit").getBoolean("final")).isTrue();

    // New traffic is cosigned again: the witnesses found the grown log consistent with what they cosigned before.
    assertThat(get(0, "/after-restart").statusCode()).isEqualTo(200);
    awaitFinal(0, before + 1);
  }

  @Test
  @Order(5)
  void tamperingWithStoredRecordsOrCheckpointsFailsVerifyNamingWhat() throws Exception {
    Path sqlite3 = SystemTools.require("sqlite3", "edit a stored audit record as someone with shell access would");
    sql(sqlite3, 0, TamperSql.edit(5, "/item/node-1/5", "/item/node-1/X"));
    assertFails(export(0, "edited"), "record 5");
    sql(sqlite3, 1, TamperSql.delete(7));
    assertFails(export(1, "deleted"), "record 7");
    sql(sqlite3, 2, TamperSql.swap(10, 11));
    assertFails(export(2, "swapped"), "record 10");

    // Checkpoints whose signatures are replaced by an untrusted key's, or reduced to the log's own one.
    JsonObject clean = new JsonObject(Files.readString(cleanBundles.get(0)));
    NoteSigner stranger = NoteSigner.generate(clean.getString("origin"), NoteSigner.Role.LOG);
    Path untrusted = rewriteNotes(clean, "untrusted", note -> new SignedNote(note.text(),
        List.of(stranger.sign(note.text()))));
    assertFails(untrusted, "not trusted");
    Path oneSignature = rewriteNotes(clean, "one-signature", note -> new SignedNote(note.text(),
        List.of(note.signatures().get(0))));
    assertFails(oneSignature, "1 of 2");
  }

  @Test
  @Order(6)
  void withOneNodeDownCheckpointsStillBecomeFinal() throws Exception {
    cluster.stop(2);
    long before = admin(0, "/api/audit").getLong("size");
    for (int i = 0; i < 5; i++) {
      assertThat(get(0, "/two-of-three/" + i).statusCode()).isEqualTo(200);
    }
    awaitFinal(0, before + 5);
  }

  // ---- helpers -----------------------------------------------------------------------------------------------

  private interface NoteEdit {
    SignedNote apply(SignedNote note) throws Exception;
  }

  private Path rewriteNotes(JsonObject bundle, String name, NoteEdit edit) throws Exception {
    JsonObject copy = bundle.copy();
    for (Object o : copy.getJsonArray("checkpoints")) {
      JsonObject c = (JsonObject) o;
      c.put("note", edit.apply(SignedNote.parse(c.getString("note"))).encode());
    }
    return Files.writeString(dir.resolve(name + ".json"), copy.encode());
  }

  private BundleVerifier.Result verify(Path bundle) {
    return BundleVerifier.verify(bundle, keys);
  }

  private void assertFails(Path bundle, String naming) {
    BundleVerifier.Result r = verify(bundle);
    assertThat(r.ok()).as("verify of %s should fail", bundle.getFileName()).isFalse();
    assertThat(r.message()).contains(naming);
    assertThat(cli("audit", "verify", bundle.toString(), "--keys", keys.toString())).as("exit code").isEqualTo(1);
  }

  private String adminUrl(int node) {
    return "http://127.0.0.1:" + cluster.spec(node).adminPort();
  }

  private static String login() {
    return TestAdmin.USER + ":" + TestAdmin.PASSWORD;
  }

  /** {@code harp ...} in this JVM, as a user would type it; its exit code. */
  private static int cli(String... args) {
    return new CommandLine(new HarpCli()).execute(args);
  }

  private void sql(Path sqlite3, int node, String statements) throws Exception {
    Path db = dir.resolve("node-" + (node + 1)).resolve("audit.db");
    Process p = new ProcessBuilder(sqlite3.toString(), "-cmd", ".timeout 10000", db.toString(), statements)
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as("sqlite3: %s", out).isZero();
  }

  private Path export(int node, String name) throws Exception {
    return Files.writeString(dir.resolve(name + ".json"), admin(node, "/api/audit/export").encode());
  }

  private void awaitFinal(int node, long size) {
    Await.until("node-" + (node + 1) + " has a final checkpoint of at least " + size + " records",
        Duration.ofSeconds(30), () -> {
          JsonObject fin = admin(node, "/api/audit").getJsonObject("final");
          return fin != null && fin.getLong("size") >= size;
        });
  }

  private HttpResponse<String> get(int node, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + cluster.spec(node).proxyPort(0) + path))
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private JsonObject admin(int node, String path) {
    return new JsonObject(adminText(node, path));
  }

  private String adminText(int node, String path) {
    try {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
              + cluster.spec(node).adminPort() + path)).header("Authorization", TestAdmin.basic())
          .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).as("GET %s: %s", path, r.body()).isEqualTo(200);
      return r.body();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
