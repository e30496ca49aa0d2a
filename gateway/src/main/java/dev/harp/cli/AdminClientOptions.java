package dev.harp.cli;

import picocli.CommandLine.Option;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;

/**
 * How a command fetches from a running node's admin API: its address, credentials (a bearer token, or a user) and
 * where the answer goes.
 */
final class AdminClientOptions {

  @Option(names = "--admin", defaultValue = "${env:HARP_ADMIN:-http://127.0.0.1:9900}",
      description = "The node's admin address (env HARP_ADMIN; default: ${DEFAULT-VALUE})")
  String admin;

  @Option(names = "--token", defaultValue = "${env:HARP_ADMIN_TOKEN}",
      description = "An admin bearer token (env HARP_ADMIN_TOKEN)")
  String token;

  @Option(names = "--user", defaultValue = "${env:HARP_ADMIN_USER}",
      description = "user:password of an admin user, when no token is given (env HARP_ADMIN_USER)")
  String user;

  @Option(names = {"-o", "--out"}, description = "File to write (default: standard output)")
  Path out;

  /** GETs the path; writes the body to {@code --out} (standard output without it). Exit code: 0, or 1 on an error. */
  int get(String path) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(admin.replaceAll("/+$", "") + path))
        .timeout(Duration.ofSeconds(60));
    if (token != null && !token.isBlank()) {
      request.header("Authorization", "Bearer " + token);
    } else if (user != null && !user.isBlank()) {
      request.header("Authorization", "Basic "
          + Base64.getEncoder().encodeToString(user.getBytes(StandardCharsets.UTF_8)));
    }
    try {
      HttpResponse<String> response = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build()
          .send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      if (response.statusCode() != 200) {
        System.err.println(admin + path + ": " + response.statusCode() + " " + response.body());
        return 1;
      }
      if (out == null) {
        System.out.println(response.body());
      } else {
        Files.writeString(out, response.body(), StandardCharsets.UTF_8);
        System.err.println("wrote " + out);
      }
      return 0;
    } catch (IOException e) {
      System.err.println(admin + path + ": " + e.getMessage());
      return 1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 1;
    }
  }
}
