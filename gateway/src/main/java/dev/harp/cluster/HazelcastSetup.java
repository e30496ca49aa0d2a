package dev.harp.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import dev.harp.config.ClusterConfig;
import dev.harp.config.HarpConfig;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;

import java.util.Optional;

/**
 * Builds the Hazelcast member config from HARP's {@code cluster:} block. Starts from vertx-hazelcast's default
 * (which carries the maps the clustered event bus needs) and pins the network: TCP-IP join from the member list,
 * no multicast, no auto-detection, bound only to the cluster interface.
 */
public final class HazelcastSetup {

  private HazelcastSetup() {
  }

  public static Config memberConfig(HarpConfig harp) {
    Config config = ConfigUtil.loadConfig();
    config.setInstanceName("harp-" + harp.node().name().replaceAll("[^A-Za-z0-9_.-]", "-"));
    config.setProperty("hazelcast.phone.home.enabled", "false");
    config.setProperty("hazelcast.logging.type", "slf4j");
    // Join in ~3 s instead of ~8 s; the lab and CI start members together.
    config.setProperty("hazelcast.wait.seconds.before.join", "1");
    // HARP leaves the cluster itself, after draining; Hazelcast's own hook would leave too early.
    config.setProperty("hazelcast.shutdownhook.enabled", "false");
    config.setProperty("hazelcast.socket.bind.any", "false");
    config.setProperty("hazelcast.graceful.shutdown.max.wait", "20");
    // Near-cache invalidations go out as each entry changes instead of in batches every 10 s: after a purge or an
    // unsafe request invalidated a cached response, no other node may keep serving its old copy for seconds.
    config.setProperty("hazelcast.map.invalidation.batch.enabled", "false");
    NetworkConfig network = config.getNetworkConfig();
    JoinConfig join = network.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getKubernetesConfig().setEnabled(false);
    Optional<ClusterConfig> cluster = harp.cluster();
    if (cluster.isPresent()) {
      ClusterConfig c = cluster.get();
      config.setClusterName(c.name());
      network.setPort(c.port()).setPortAutoIncrement(false);
      network.getInterfaces().setEnabled(true).clear().addInterface(c.iface());
      network.setPublicAddress(c.iface() + ":" + c.port());
      join.getTcpIpConfig().setEnabled(true).setMembers(c.members());
    } else {
      // Standalone: a single member that joins nobody, on loopback, on any free port from 5701.
      config.setClusterName("harp-standalone-" + harp.node().name().replaceAll("[^A-Za-z0-9_.-]", "-"));
      network.setPort(5701).setPortAutoIncrement(true).setPortCount(100);
      network.getInterfaces().setEnabled(true).clear().addInterface("127.0.0.1");
      join.getTcpIpConfig().setEnabled(false);
    }
    return config;
  }
}
