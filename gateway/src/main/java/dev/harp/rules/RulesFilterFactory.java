package dev.harp.rules;

import dev.harp.spi.ConfigBlock;
import dev.harp.spi.Filter;
import dev.harp.spi.FilterContext;
import dev.harp.spi.FilterFactory;
import dev.harp.spi.Placement;

import java.util.List;

/**
 * The {@code rules:} list of a proxy: CEL conditions over the request with deny, header, pool and rate-limit-key
 * actions. After {@code ban} and {@code auth} (so a banned client costs no evaluation, and the identity is known),
 * before {@code rate-limit} and {@code cache} (so a denied request spends no budget and is never cached, and a
 * rule's rate-limit key is set before the limiter reads it).
 */
public final class RulesFilterFactory implements FilterFactory<List<?>> {

  @Override
  public String name() {
    return "rules";
  }

  @Override
  public Placement placement() {
    return Placement.after("ban", "auth").andBefore("rate-limit", "cache");
  }

  @Override
  public List<?> read(ConfigBlock block) {
    return RulesReader.read(block);
  }

  @Override
  @SuppressWarnings("unchecked")
  public Filter create(List<?> config, FilterContext context) {
    return new RulesFilter((List<Rule>) config, context);
  }
}
