"""What the NetworkPolicies of a build allow: whether one pod (or an outside address) may open a
TCP connection to another, as a policy-enforcing CNI decides it within one namespace."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from typing import Any


def selects(selector: dict[str, Any], labels: dict[str, str]) -> bool:
    """Tell whether a label selector (matchLabels, matchExpressions) selects ``labels``."""
    for key, value in selector.get("matchLabels", {}).items():
        if labels.get(key) != value:
            return False
    for expression in selector.get("matchExpressions", []):
        key, operator, values = expression["key"], expression["operator"], expression.get("values")
        if operator == "In" and labels.get(key) not in values:
            return False
        if operator == "NotIn" and labels.get(key) in values:
            return False
        if operator == "Exists" and key not in labels:
            return False
        if operator == "DoesNotExist" and key in labels:
            return False
    return True


@dataclass(frozen=True)
class Peer:
    """One end of a connection: a pod of this namespace (its labels) or an outside address."""

    labels: dict[str, str] | None = None
    address: str | None = None  # an IPv4 address outside the cluster's pods


def _in_block(address: str, block: dict[str, Any]) -> bool:
    ip = ipaddress.ip_address(address)
    if ip not in ipaddress.ip_network(block["cidr"]):
        return False
    return not any(ip in ipaddress.ip_network(cidr) for cidr in block.get("except", []))


def _peer_matches(rule_peers: list[dict[str, Any]] | None, peer: Peer) -> bool:
    if not rule_peers:  # no from/to: every peer
        return True
    for item in rule_peers:
        # A podSelector alone means pods of this namespace; with a namespaceSelector, others'.
        if peer.labels is not None and "podSelector" in item and "namespaceSelector" not in item:
            if selects(item["podSelector"], peer.labels):
                return True
        elif (
            peer.address is not None
            and "ipBlock" in item
            and _in_block(peer.address, item["ipBlock"])
        ):
            return True
    return False


def _port_matches(ports: list[dict[str, Any]] | None, port: int) -> bool:
    return not ports or any(
        p.get("port") == port and p.get("protocol", "TCP") == "TCP" for p in ports
    )


def _direction_allows(
    policies: list[dict[str, Any]], pod: dict[str, str], direction: str, peer: Peer, port: int
) -> bool:
    key = "ingress" if direction == "Ingress" else "egress"
    peers = "from" if direction == "Ingress" else "to"
    applying = [
        p
        for p in policies
        if selects(p["spec"]["podSelector"], pod)
        and direction in p["spec"].get("policyTypes", ["Ingress"])
    ]
    if not applying:  # no policy isolates the pod in this direction
        return True
    return any(
        _peer_matches(rule.get(peers), peer) and _port_matches(rule.get("ports"), port)
        for policy in applying
        for rule in policy["spec"].get(key, [])
    )


def allows(resources: list[dict[str, Any]], source: Peer, target: Peer, port: int) -> bool:
    """Tell whether the NetworkPolicies let ``source`` open a TCP connection to ``target``'s
    ``port`` (egress of a source pod and ingress of a target pod both have to admit it)."""
    policies = [r for r in resources if r["kind"] == "NetworkPolicy"]
    if source.labels is not None and not _direction_allows(
        policies, source.labels, "Egress", target, port
    ):
        return False
    return target.labels is None or _direction_allows(
        policies, target.labels, "Ingress", source, port
    )
