"""A managed, local Neo4j Community 5.26 server assembled from Maven Central.

No Docker and no tarball: :func:`install` copies the server's jars (declared
in ``kg/store/server/pom.xml``) into ``<home>/neo4j-<version>/lib`` with Maven, and
:func:`start` runs ``org.neo4j.server.CommunityEntryPoint`` on that classpath
for one *instance* (its own ``conf/``, ``data/``, ``logs/``, ports and
password).  See :mod:`kg.store.server.manager` for the details.
"""

from kg.store.server import manager
from kg.store.server.manager import (
    DEFAULT_BOLT_PORT,
    DEFAULT_HTTP_PORT,
    NEO4J_USERNAME,
    NEO4J_VERSION,
    ServerError,
    ServerInfo,
    admin_command,
    default_home,
    default_instance_dir,
    install,
    instance_path,
    is_installed,
    last_start_options,
    neo4j_home,
    read_password,
    start,
    status,
    stop,
)

__all__ = list(manager.__all__)  # the manager's public names, re-exported
