package dev.harp.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replaces {@code ${env:NAME}} and {@code ${file:PATH}} inside string values, so secrets stay out of the config file.
 * A file's trailing newline is dropped; relative paths are relative to the config file's directory.
 */
final class SecretRefs {

  private static final Pattern REF = Pattern.compile("\\$\\{(env|file):([^}]+)}");

  private SecretRefs() {
  }

  static void resolve(JsonNode node, String path, Map<String, String> env, Path baseDir, ConfigProblems problems) {
    if (node instanceof ObjectNode obj) {
      Iterator<Map.Entry<String, JsonNode>> fields = obj.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> f = fields.next();
        String p = path.isEmpty() ? f.getKey() : path + "." + f.getKey();
        if (f.getValue().isTextual()) {
          f.setValue(new TextNode(substitute(f.getValue().asText(), p, env, baseDir, problems)));
        } else {
          resolve(f.getValue(), p, env, baseDir, problems);
        }
      }
    } else if (node instanceof ArrayNode arr) {
      for (int i = 0; i < arr.size(); i++) {
        String p = path + "[" + i + "]";
        if (arr.get(i).isTextual()) {
          arr.set(i, new TextNode(substitute(arr.get(i).asText(), p, env, baseDir, problems)));
        } else {
          resolve(arr.get(i), p, env, baseDir, problems);
        }
      }
    }
  }

  private static String substitute(String value, String path, Map<String, String> env, Path baseDir,
                                   ConfigProblems problems) {
    Matcher m = REF.matcher(value);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String kind = m.group(1);
      String ref = m.group(2).trim();
      String replacement = "";
      if (kind.equals("env")) {
        String v = env.get(ref);
        if (v == null) {
          problems.add(path, "environment variable " + ref + " is not set");
        } else {
          replacement = v;
        }
      } else {
        Path file = baseDir == null ? Path.of(ref) : baseDir.resolve(ref);
        try {
          replacement = Files.readString(file).replaceFirst("\\r?\\n$", "");
        } catch (IOException e) {
          problems.add(path, "cannot read secret file " + file + ": " + e.getClass().getSimpleName());
        }
      }
      m.appendReplacement(out, Matcher.quoteReplacement(replacement));
    }
    m.appendTail(out);
    return out.toString();
  }
}
