package dev.harp.cli;

import dev.harp.secrets.KeyHash;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

@Command(name = "new-token", mixinStandardHelpOptions = true,
    description = {"Generate a random secret (256 bits) and print it with its SHA-256.",
        "Give the secret to the caller; put only the hash in the config (admin.tokens[].sha256,",
        "auth.consumers[].keys[].sha256) or the admin API."})
final class NewTokenCommand implements Callable<Integer> {

  @Option(names = "--prefix", defaultValue = "harp_",
      description = "Text before the random part, so leaked secrets are easy to grep for (default: ${DEFAULT-VALUE}).")
  String prefix;

  @Override
  public Integer call() {
    String secret = KeyHash.newSecret(prefix);
    System.out.println("secret: " + secret);
    System.out.println("sha256: " + KeyHash.sha256Hex(secret));
    return 0;
  }
}
