"""The cluster description (describe_cluster)."""

from ._group import _operations


class DescribeClusterResult:
    """describe_cluster()' answer: controller (Node), nodes (Node list), cluster_id,
    authorized_operations (AclOperation list or None)."""

    def __init__(self, controller, nodes, cluster_id=None, authorized_operations=None):
        self.cluster_id = cluster_id
        self.controller = controller
        self.nodes = nodes
        self.authorized_operations = _operations(authorized_operations)
