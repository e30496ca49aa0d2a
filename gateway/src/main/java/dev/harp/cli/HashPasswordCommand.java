package dev.harp.cli;

import dev.harp.admin.auth.PasswordHashing;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.BufferedReader;
import java.io.Console;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.Callable;

@Command(name = "hash-password", mixinStandardHelpOptions = true,
    description = {"Print the bcrypt hash of a password for admin.users[].passwordHash.",
        "Reads the password from the terminal (twice, not echoed) or, when piped, from the first line of stdin."})
final class HashPasswordCommand implements Callable<Integer> {

  @Option(names = "--cost", defaultValue = "" + PasswordHashing.DEFAULT_COST,
      description = "bcrypt cost, 4-31; each step doubles the work (default: ${DEFAULT-VALUE}).")
  int cost;

  @Override
  public Integer call() throws Exception {
    if (cost < 4 || cost > 31) {
      System.err.println("harp hash-password: --cost must be between 4 and 31");
      return 2;
    }
    String password = read();
    if (password == null || password.isEmpty()) {
      System.err.println("harp hash-password: no password given");
      return 2;
    }
    if (password.getBytes(StandardCharsets.UTF_8).length > PasswordHashing.MAX_PASSWORD_BYTES) {
      System.err.println("harp hash-password: bcrypt takes at most " + PasswordHashing.MAX_PASSWORD_BYTES
          + " bytes of password");
      return 2;
    }
    System.out.println(PasswordHashing.hash(password, cost));
    return 0;
  }

  private static String read() throws Exception {
    Console console = System.console();
    if (console != null) {
      char[] first = console.readPassword("Password: ");
      char[] again = console.readPassword("Again: ");
      if (first == null || !Arrays.equals(first, again)) {
        System.err.println("harp hash-password: the passwords differ");
        return null;
      }
      return new String(first);
    }
    return new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
  }
}
