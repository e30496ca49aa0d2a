package dev.harp.config;

import java.util.List;

/**
 * Hazelcast membership. Members join over TCP-IP from a fixed list; multicast is never used.
 *
 * @param name         cluster name; members with another name never join
 * @param iface        address Hazelcast binds to and advertises (the private cluster interface)
 * @param port         Hazelcast member port
 * @param members      every member's host:port, this one included
 * @param eventBusPort port of the clustered event bus (0 picks a free one)
 */
public record ClusterConfig(String name, String iface, int port, List<String> members, int eventBusPort) {
}
