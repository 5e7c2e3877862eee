//! librdkafka's configuration property table (librdkafka 2.16, global and
//! topic scope): names, scopes, types, ranges, defaults, aliases, enum value
//! lists and validators. Names, numbers and value strings are librdkafka's
//! (they are its ABI); the descriptions are our own short summaries.
//!
//! Not settable as strings (same as librdkafka):
//! - pointer/callback properties (`Kind::Ptr`: `dr_msg_cb`, `opaque`,
//!   `error_cb`, `default_topic_conf`, ...): the C layer stores them through
//!   `Conf::set_ptr`.
//! - internal properties (`Kind::Internal`: `ssl_key`, `ssl_certificate`,
//!   `ssl_ca`, `interceptors`): set through dedicated API only.
//! - Java-client properties (`Kind::Invalid`: `ssl.truststore.location`,
//!   `sasl.jaas.config`): rejected with librdkafka's hint message.
//!
//! Unsupported in kafkars (rejected with "not supported in this build"):
//! `ssl.ca.certificate.stores` (Windows only, as in librdkafka on Unix).
//!
//! librdkafka-internal or unused even by librdkafka (accepted and stored,
//! no effect): `metadata.request.timeout.ms`,
//! `topic.metadata.refresh.fast.cnt`, `socket.blocking.max.ms`,
//! `reconnect.backoff.jitter.ms`, `produce.offset.report`,
//! `internal.termination.signal`. The hidden test hook
//! `ut_handle_ProduceResponse` is a pointer and rejected like the others.
//!
//! `builtin.features` reports what kafkars has: gzip, snappy, ssl, sasl,
//! regex, lz4, sasl_gssapi (MIT's GSS-API library is loaded when a client uses it),
//! sasl_plain, sasl_scram, plugins, zstd, sasl_oauthbearer, http, oidc.

/// Scope and attribute flags (librdkafka's `_RK_*` bits).
pub const GLOBAL: u16 = 0x1;
pub const PRODUCER: u16 = 0x2;
pub const CONSUMER: u16 = 0x4;
pub const TOPIC: u16 = 0x8;
pub const DEPRECATED: u16 = 0x20;
pub const HIDDEN: u16 = 0x40;
pub const HIGH: u16 = 0x80;
pub const MED: u16 = 0x100;
pub const EXPERIMENTAL: u16 = 0x200;
pub const SENSITIVE: u16 = 0x400;

/// Value type of a property.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Str,
    /// Kafka protocol string: stored as given, no trimming.
    KStr,
    Int,
    Dbl,
    /// One value out of `values`.
    S2I,
    /// CSV of flags out of `values`, OR:ed together.
    S2F,
    Bool,
    /// Pointer/callback: only through dedicated API.
    Ptr,
    /// CSV of regular expressions.
    PatList,
    /// Another name for the property named in `sdef`.
    Alias,
    Internal,
    /// Known Java-client property: rejected with the message in `sdef`.
    Invalid,
}

/// Extra validation for string properties.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Check {
    None,
    /// A single item: no ',' or ' '.
    Single,
    /// One of the built-in partitioner names.
    Partitioner,
}

#[derive(Debug, Clone, Copy)]
pub struct EnumVal {
    pub val: i32,
    pub name: &'static str,
    /// Why this value can't be used in this build.
    pub unsupported: Option<&'static str>,
}

#[derive(Debug, Clone, Copy)]
pub struct Property {
    pub scope: u16,
    pub name: &'static str,
    pub kind: Kind,
    pub vmin: i32,
    pub vmax: i32,
    pub vdef: i32,
    pub dmin: f64,
    pub dmax: f64,
    pub ddef: f64,
    /// String default; alias target for `Alias`; error text for `Invalid`.
    pub sdef: Option<&'static str>,
    pub values: &'static [EnumVal],
    pub check: Check,
    /// Why this property can't be set in this build.
    pub unsupported: Option<&'static str>,
    pub desc: &'static str,
}

impl Property {
    pub fn is_global(&self) -> bool {
        self.scope & GLOBAL != 0
    }
    pub fn is_sensitive(&self) -> bool {
        self.scope & SENSITIVE != 0
    }
    pub fn is_hidden(&self) -> bool {
        self.scope & HIDDEN != 0
    }
    /// "C", "P" or "*" as in the properties table.
    pub fn client_type(&self) -> &'static str {
        let p = self.scope & PRODUCER != 0;
        let c = self.scope & CONSUMER != 0;
        match (p, c) {
            (true, false) => "P",
            (false, true) => "C",
            _ => "*",
        }
    }
    pub fn importance(&self) -> &'static str {
        if self.scope & HIGH != 0 {
            "high"
        } else if self.scope & MED != 0 {
            "medium"
        } else {
            "low"
        }
    }
    /// Type name as the properties table prints it.
    pub fn type_name(&self) -> &'static str {
        match self.kind {
            Kind::Str | Kind::KStr => "string",
            Kind::PatList => "pattern list",
            Kind::Bool => "boolean",
            Kind::Int => "integer",
            Kind::Dbl => "float",
            Kind::S2I => "enum value",
            Kind::S2F => "CSV flags",
            Kind::Ptr | Kind::Internal => "see dedicated API",
            Kind::Alias | Kind::Invalid => "",
        }
    }
}

const BASE: Property = Property {
    scope: 0,
    name: "",
    kind: Kind::Str,
    vmin: 0,
    vmax: 0,
    vdef: 0,
    dmin: 0.0,
    dmax: 0.0,
    ddef: 0.0,
    sdef: None,
    values: &[],
    check: Check::None,
    unsupported: None,
    desc: "",
};

const fn ev(val: i32, name: &'static str) -> EnumVal {
    EnumVal { val, name, unsupported: None }
}

const WINDOWS_ONLY: &str = "configuration only valid on Windows";

/// Names of the built-in partitioners (`partitioner` property).
pub const PARTITIONERS: &[&str] =
    &["random", "consistent", "consistent_random", "murmur2", "murmur2_random", "fnv1a", "fnv1a_random"];

/// The whole table, in librdkafka's order (dump and show follow it).
#[rustfmt::skip]
pub static PROPERTIES: &[Property] = &[
    Property { scope: GLOBAL, name: "builtin.features", kind: Kind::S2F, vdef: 65535, values: &[ev(1, "gzip"), ev(2, "snappy"), ev(4, "ssl"), ev(8, "sasl"), ev(16, "regex"), ev(32, "lz4"), ev(64, "sasl_gssapi"), ev(128, "sasl_plain"), ev(256, "sasl_scram"), ev(512, "plugins"), ev(1024, "zstd"), ev(2048, "sasl_oauthbearer"), ev(4096, "http"), ev(8192, "oidc")], desc: "Features compiled into this library; setting it checks that the listed features are available.", ..BASE },
    Property { scope: GLOBAL, name: "client.id", kind: Kind::Str, sdef: Some("rdkafka"), desc: "Client identifier sent to brokers.", ..BASE },
    Property { scope: GLOBAL | HIDDEN, name: "client.software.name", kind: Kind::Str, sdef: Some("librdkafka"), desc: "Client software name reported to brokers (KIP-511).", ..BASE },
    Property { scope: GLOBAL | HIDDEN, name: "client.software.version", kind: Kind::Str, desc: "Client software version reported to brokers (KIP-511).", ..BASE },
    Property { scope: GLOBAL | HIGH, name: "metadata.broker.list", kind: Kind::Str, desc: "Initial brokers, CSV of host or host:port.", ..BASE },
    Property { scope: GLOBAL | HIGH, name: "bootstrap.servers", kind: Kind::Alias, sdef: Some("metadata.broker.list"), ..BASE },
    Property { scope: GLOBAL | MED, name: "message.max.bytes", kind: Kind::Int, vmin: 1000, vmax: 1000000000, vdef: 1000000, desc: "Maximum size of a protocol request (produce batch).", ..BASE },
    Property { scope: GLOBAL, name: "message.copy.max.bytes", kind: Kind::Int, vmin: 0, vmax: 1000000000, vdef: 65535, desc: "Largest payload copied into a batch buffer instead of referenced.", ..BASE },
    Property { scope: GLOBAL | MED, name: "receive.message.max.bytes", kind: Kind::Int, vmin: 1000, vmax: 2147483647, vdef: 100000000, desc: "Maximum size of a response accepted from a broker.", ..BASE },
    Property { scope: GLOBAL, name: "max.in.flight.requests.per.connection", kind: Kind::Int, vmin: 1, vmax: 1000000, vdef: 1000000, desc: "Maximum unanswered requests per broker connection.", ..BASE },
    Property { scope: GLOBAL, name: "max.in.flight", kind: Kind::Alias, sdef: Some("max.in.flight.requests.per.connection"), ..BASE },
    Property { scope: GLOBAL, name: "metadata.recovery.strategy", kind: Kind::S2I, vdef: 1, values: &[ev(0, "none"), ev(1, "rebootstrap")], desc: "What to do when no known broker is reachable: none or re-bootstrap.", ..BASE },
    Property { scope: GLOBAL, name: "metadata.recovery.rebootstrap.trigger.ms", kind: Kind::Int, vmin: 0, vmax: 2147483647, vdef: 300000, desc: "Re-bootstrap after this long without a successful metadata response.", ..BASE },
    Property { scope: GLOBAL | DEPRECATED | HIDDEN, name: "metadata.request.timeout.ms", kind: Kind::Int, vmin: 10, vmax: 900000, vdef: 10, desc: "Unused.", ..BASE },
    Property { scope: GLOBAL, name: "topic.metadata.refresh.interval.ms", kind: Kind::Int, vmin: -1, vmax: 3600000, vdef: 300000, desc: "Period of the background metadata refresh (-1 disables).", ..BASE },
    Property { scope: GLOBAL, name: "metadata.max.age.ms", kind: Kind::Int, vmin: 1, vmax: 86400000, vdef: 900000, desc: "Age after which cached metadata is discarded.", ..BASE },
    Property { scope: GLOBAL, name: "topic.metadata.refresh.fast.interval.ms", kind: Kind::Int, vmin: 1, vmax: 60000, vdef: 100, desc: "Initial retry interval for metadata refresh when a leader is missing.", ..BASE },
    Property { scope: GLOBAL | DEPRECATED, name: "topic.metadata.refresh.fast.cnt", kind: Kind::Int, vmin: 0, vmax: 1000, vdef: 10, desc: "Unused.", ..BASE },
    Property { scope: GLOBAL, name: "topic.metadata.refresh.sparse", kind: Kind::Bool, vmin: 0, vmax: 1, vdef: 1, desc: "Request metadata only for topics in use.", ..BASE },
    Property { scope: GLOBAL, name: "topic.metadata.propagation.max.ms", kind: Kind::Int, vmin: 0, vmax: 3600000, vdef: 30000, desc: "How long a topic missing from metadata may be waited for before it is reported absent.", ..BASE },
    Property { scope: GLOBAL, name: "topic.blacklist", kind: Kind::PatList, desc: "Regex patterns of topics ignored in metadata.", ..BASE },
    Property { scope: GLOBAL | MED, name: "debug", kind: Kind::S2F, values: &[ev(1, "generic"), ev(2, "broker"), ev(4, "topic"), ev(8, "metadata"), ev(16, "feature"), ev(32, "queue"), ev(64, "msg"), ev(128, "protocol"), ev(256, "cgrp"), ev(512, "security"), ev(1024, "fetch"), ev(2048, "interceptor"), ev(4096, "plugin"), ev(8192, "consumer"), ev(16384, "admin"), ev(32768, "eos"), ev(65536, "mock"), ev(131072, "assignor"), ev(262144, "conf"), ev(524288, "telemetry"), ev(1048575, "all")], desc: "Debug contexts to enable, CSV.", ..BASE },
    Property { scope: GLOBAL, name: "socket.timeout.ms", kind: Kind::Int, vmin: 10, vmax: 300000, vdef: 60000, desc: "Default network request timeout.", ..BASE },
    Property { scope: GLOBAL | DEPRECATED, name: "socket.blocking.max.ms", kind: Kind::Int, vmin: 1, vmax: 60000, vdef: 1000, desc: "Unused.", ..BASE },
    Property { scope: GLOBAL, name: "socket.send.buffer.bytes", kind: Kind::Int, vmin: 0, vmax: 100000000, vdef: 0, desc: "Socket send buffer size (0 = system default).", ..BASE },
    Property { scope: GLOBAL, name: "socket.receive.buffer.bytes", kind: Kind::Int, vmin: 0, vmax: 100000000, vdef: 0, desc: "Socket receive buffer size (0 = system default).", ..BASE },
    Property { scope: GLOBAL, name: "socket.keepalive.enable", kind: Kind::Bool, vmin: 0, vmax: 1, vdef: 0, desc: "Enable TCP keep-alive on broker sockets.", ..BASE },
    Property { scope: GLOBAL, name: "socket.nagle.disable", kind: Kind::Bool, vmin: 0, vmax: 1, vdef: 1, desc: "Set TCP_NODELAY on broker sockets.", ..BASE },
    Property { scope: GLOBAL, name: "socket.max.fails", kind: Kind::Int, vmin: 0, vmax: 1000000, vdef: 1, desc: "Consecutive send failures before a connection is closed (0 = never).", ..BASE },
    Property { scope: GLOBAL, name: "broker.address.ttl", kind: Kind::Int, vmin: 0, vmax: 86400000, vdef: 1000, desc: "How long resolved broker addresses are cached.", ..BASE },
    Property { scope: GLOBAL, name: "broker.address.family", kind: Kind::S2I, values: &[ev(0, "any"), ev(2, "v4"), ev(10, "v6")], desc: "Address family used for brokers: any, v4 or v6.", ..BASE },
    Property { scope: GLOBAL | MED, name: "socket.connection.setup.timeout.ms", kind: Kind::Int, vmin: 1000, vmax: 2147483647, vdef: 30000, desc: "Timeout for TCP connect plus TLS/SASL handshake.", ..BASE },
    Property { scope: GLOBAL | MED, name: "connections.max.idle.ms", kind: Kind::Int, vmin: 0, vmax: 2147483647, vdef: 0, desc: "Close idle broker connections after this long (0 = never).", ..BASE },
    Property { scope: GLOBAL | HIDDEN | MED, name: "enable.sparse.connections", kind: Kind::Bool, vmin: 0, vmax: 1, vdef: 1, desc: "Connect only to brokers that are needed.", ..BASE },
    Property { scope: GLOBAL | DEPRECATED, name: "reconnect.backoff.jitter.ms", kind: Kind::Int, vmin: 0, vmax: 3600000, vdef: 0, desc: "Unused; see reconnect.backoff.ms.", ..BASE },
    Property { scope: GLOBAL | MED, name: "reconnect.backoff.ms", kind: Kind::Int, vmin: 0, vmax: 3600000, vdef: 100, desc: "Initial wait before reconnecting to a broker; doubles up to reconnect.backoff.max.ms.", ..BASE },
    Property { scope: GLOBAL | MED, name: "reconnect.backoff.max.ms", kind: Kind::Int, vmin: 0, vmax: 3600000, vdef: 10000, desc: "Maximum wait before reconnecting to a broker.", ..BASE },
    Property { scope: GLOBAL | HIGH, name: "statistics.interval.ms", kind: Kind::Int, vmin: 0, vmax: 86400000, vdef: 0, desc: "Interval of statistics events/stats_cb (0 = off).", ..BASE },
    Property { scope: GLOBAL, name: "enabled_events", kind: Kind::Int, vmin: 0, vmax: 2147483647, vdef: 0, desc: "Event types delivered through the event API (see rd_kafka_conf_set_events).", ..BASE },
    Property { scope: GLOBAL, name: "error_cb", kind: Kind::Ptr, desc: "Error callback.", ..BASE },
    Property { scope: GLOBAL, name: "throttle_cb", kind: Kind::Ptr, desc: "Broker throttle-time callback.", ..BASE },
    Property { scope: GLOBAL, name: "stats_cb", kind: Kind::Ptr, desc: "Statistics JSON callback.", ..BASE },
    Property { scope: GLOBAL, name: "log_cb", kind: Kind::Ptr, desc: "Log callback.", ..BASE },
    Property { scope: GLOBAL, name: "log_level", kind: Kind::Int, vmin: 0, vmax: 7, vdef: 6, desc: "Syslog-style log level threshold.", ..BASE },
    Property { scope: GLOBAL, name: "log.queue", kind: Kind::Bool, vmin: 0, vmax: 1, vdef: 0, desc: "Route logs to a queue served by the application instead of calling log_cb from internal threads.", ..BASE },
    Property { scope: GLOBAL, name: "log.thread.name", kind: Kind::Bool, vmin: 0, vmax: 1, vdef: 1, desc: "Include the internal thread name in log lines.", ..BASE },
    Property { scope: GLOBAL, name: "enable.random.seed", kind: Kind::Bool, vmin: 0, vmax: 1, vdef: 1, desc: "Seed the random generator at first client creation.", ..BASE },
    Property { scope: GLOBAL, name: "log.connection.close", kind: Kind::Bool, vmin: 0, vmax: 1, vdef: 1, desc: "Log broker disconnects.", ..BASE },
    Property { scope: GLOBAL, name: "background_event_cb", kind: Kind::Ptr, desc: "Callback served on the background event thread.", ..BASE },
    Property { scope: GLOBAL, name: "socket_cb", kind: Kind::Ptr, desc: "Socket creation callback.", ..BASE },
    Property { scope: GLOBAL, name: "connect_cb", kind: Kind::Ptr, desc: "Socket connect callback.", ..BASE },
    Property { scope: GLOBAL, name: "closesocket_cb", kind: Kind::Ptr, desc: "Socket close callback.", ..BASE },
    Property { scope: GLOBAL, name: "open_cb", kind: Kind::Ptr, desc: "File open callback.", ..BASE },
    Property { scope: GLOBAL, name: "resolve_cb", kind: Kind::Ptr, desc: "Address resolution callback.", ..BASE },
    Property { scope: GLOBAL, name: "opaque", kind: Kind::Ptr, desc: "Application opaque pointer passed to callbacks.", ..BASE },
    Property { scope: GLOBAL, name: "default_topic_conf", kind: Kind::Ptr, desc: "Default topic configuration for topics not configured explicitly.", ..BASE },
    Property { scope: GLOBAL, name: "internal.termination.signal", kind: Kind::Int, vmin: 0, vmax: 128, vdef: 0, desc: "Signal used to wake internal threads at shutdown.", ..BASE },
    Property { scope: GLOBAL | DEPRECATED | HIGH, name: "api.version.request", kind: Kind::Bool, vmin: 0, vmax: 1, vdef: 1, desc: "Query supported protocol versions with ApiVersionRequest.", ..BASE },
    Property { scope: GLOBAL, name: "api.version.request.timeout.ms", kind: Kind::Int, vmin: 1, vmax: 300000, vdef: 10000, desc: "Timeout of the ApiVersionRequest.", ..BASE },
    Property { scope: GLOBAL | DEPRECATED | MED, name: "api.version.fallback.ms", kind: Kind::Int, vmin: 0, vmax: 604800000, vdef: 0, desc: "How long a failed ApiVersionRequest is remembered.", ..BASE },
    Property { scope: GLOBAL | DEPRECATED | MED, name: "broker.version.fallback", kind: Kind::Str, sdef: Some("0.10.0"), desc: "Broker version assumed when ApiVersionRequest is not used.", ..BASE },
    Property { scope: GLOBAL, name: "allow.auto.create.topics", kind: Kind::Bool, vmin: 0, vmax: 1, vdef: 0, desc: "Let brokers create topics that are subscribed to or produced to.", ..BASE },
    Property { scope: GLOBAL | HIGH, name: "security.protocol", kind: Kind::S2I, values: &[ev(0, "plaintext"), ev(1, "ssl"), ev(2, "sasl_plaintext"), ev(3, "sasl_ssl")], desc: "Protocol used to talk to brokers.", ..BASE },
    Property { scope: GLOBAL, name: "ssl.cipher.suites", kind: Kind::Str, desc: "OpenSSL cipher list.", ..BASE },
    Property { scope: GLOBAL, name: "ssl.curves.list", kind: Kind::Str, desc: "Supported curves for TLS.", ..BASE },
    Property { scope: GLOBAL, name: "ssl.sigalgs.list", kind: Kind::Str, desc: "Supported signature algorithms for TLS.", ..BASE },
    Property { scope: GLOBAL | SENSITIVE, name: "ssl.key.location", kind: Kind::Str, desc: "Path of the client private key (PEM).", ..BASE },
    Property { scope: GLOBAL | SENSITIVE, name: "ssl.key.password", kind: Kind::Str, desc: "Passphrase of the private key.", ..BASE },
    Property { scope: GLOBAL | SENSITIVE, name: "ssl.key.pem", kind: Kind::Str, desc: "Client private key as a PEM string.", ..BASE },
    Property { scope: GLOBAL | SENSITIVE, name: "ssl_key", kind: Kind::Internal, desc: "Client private key set with rd_kafka_conf_set_ssl_cert().", ..BASE },
    Property { scope: GLOBAL, name: "ssl.certificate.location", kind: Kind::Str, desc: "Path of the client certificate.", ..BASE },
    Property { scope: GLOBAL, name: "ssl.certificate.pem", kind: Kind::Str, desc: "Client certificate as a PEM string.", ..BASE },
    Property { scope: GLOBAL, name: "ssl_certificate", kind: Kind::Internal, desc: "Client certificate set with rd_kafka_conf_set_ssl_cert().", ..BASE },
    Property { scope: GLOBAL, name: "ssl.ca.location", kind: Kind::Str, desc: "CA certificate file or directory used to verify brokers ('probe' searches default locations).", ..BASE },
    Property { scope: GLOBAL, name: "https.ca.location", kind: Kind::Str, desc: "CA certificates used for HTTPS requests.", ..BASE },
    Property { scope: GLOBAL, name: "https.ca.pem", kind: Kind::Str, desc: "CA certificate PEM string used for HTTPS requests.", ..BASE },
    Property { scope: GLOBAL | SENSITIVE, name: "ssl.ca.pem", kind: Kind::Str, desc: "CA certificate as a PEM string.", ..BASE },
    Property { scope: GLOBAL, name: "ssl_ca", kind: Kind::Internal, desc: "CA certificate set with rd_kafka_conf_set_ssl_cert().", ..BASE },
    Property { scope: GLOBAL, name: "ssl.ca.certificate.stores", kind: Kind::Str, sdef: Some("Root"), unsupported: Some(WINDOWS_ONLY), desc: "Windows certificate stores to load CA certificates from.", ..BASE },
    Property { scope: GLOBAL, name: "ssl.crl.location", kind: Kind::Str, desc: "Path of a certificate revocation list.", ..BASE },
    Property { scope: GLOBAL, name: "ssl.keystore.location", kind: Kind::Str, desc: "Path of a PKCS#12 keystore holding key and certificate.", ..BASE },
    Property { scope: GLOBAL | SENSITIVE, name: "ssl.keystore.password", kind: Kind::Str, desc: "Password of the PKCS#12 keystore.", ..BASE },
    Property { scope: GLOBAL, name: "ssl.providers", kind: Kind::Str, desc: "OpenSSL 3 providers to load, CSV.", ..BASE },
    Property { scope: GLOBAL | DEPRECATED, name: "ssl.engine.location", kind: Kind::Str, desc: "Path of an OpenSSL engine library.", ..BASE },
    Property { scope: GLOBAL, name: "ssl.engine.id", kind: Kind::Str, sdef: Some("dynamic"), desc: "OpenSSL engine id.", ..BASE },
    Property { scope: GLOBAL, name: "ssl_engine_callback_data", kind: Kind::Ptr, desc: "Opaque passed to the OpenSSL engine.", ..BASE },
    Property { scope: GLOBAL, name: "enable.ssl.certificate.verification", kind: Kind::Bool, vmin: 0, vmax: 1, vdef: 1, desc: "Verify the broker certificate.", ..BASE },
    Property { scope: GLOBAL, name: "ssl.endpoint.identification.algorithm", kind: Kind::S2I, vdef: 1, values: &[ev(0, "none"), ev(1, "https")], desc: "Broker hostname verification: none or https.", ..BASE },
    Property { scope: GLOBAL, name: "ssl.certificate.verify_cb", kind: Kind::Ptr, desc: "Broker certificate verification callback.", ..BASE },
    Property { scope: GLOBAL, name: "ssl.truststore.location", kind: Kind::Invalid, sdef: Some("Java TrustStores are not supported, use `ssl.ca.location` and a certificate file instead. See https://github.com/confluentinc/librdkafka/wiki/Using-SSL-with-librdkafka for more information."), ..BASE },
    Property { scope: GLOBAL, name: "sasl.jaas.config", kind: Kind::Invalid, sdef: Some("Java JAAS configuration is not supported, see https://github.com/confluentinc/librdkafka/wiki/Using-SASL-with-librdkafka for more information."), ..BASE },
    Property { scope: GLOBAL | HIGH, name: "sasl.mechanisms", kind: Kind::Str, sdef: Some("GSSAPI"), check: Check::Single, desc: "SASL mechanism: GSSAPI, PLAIN, SCRAM-SHA-256, SCRAM-SHA-512 or OAUTHBEARER.", ..BASE },
    Property { scope: GLOBAL | HIGH, name: "sasl.mechanism", kind: Kind::Alias, sdef: Some("sasl.mechanisms"), ..BASE },
    Property { scope: GLOBAL, name: "sasl.kerberos.service.name", kind: Kind::Str, sdef: Some("kafka"), desc: "Kerberos service name of the brokers.", ..BASE },
    Property { scope: GLOBAL, name: "sasl.kerberos.principal", kind: Kind::Str, sdef: Some("kafkaclient"), desc: "Kerberos principal of this client.", ..BASE },
    Property { scope: GLOBAL, name: "sasl.kerberos.kinit.cmd", kind: Kind::Str, sdef: Some("kinit -R -t \"%{sasl.kerberos.keytab}\" -k %{sasl.kerberos.principal} || kinit -t \"%{sasl.kerberos.keytab}\" -k %{sasl.kerberos.principal}"), desc: "Command run to obtain or refresh the Kerberos ticket.", ..BASE },
    Property { scope: GLOBAL, name: "sasl.kerberos.keytab", kind: Kind::Str, desc: "Kerberos keytab path.", ..BASE },
    Property { scope: GLOBAL, name: "sasl.kerberos.min.time.before.relogin", kind: Kind::Int, vmin: 0, vmax: 86400000, vdef: 60000, desc: "Minimum interval between ticket refreshes (0 = never).", ..BASE },
    Property { scope: GLOBAL | HIGH | SENSITIVE, name: "sasl.username", kind: Kind::Str, desc: "SASL username for PLAIN and SCRAM.", ..BASE },
    Property { scope: GLOBAL | HIGH | SENSITIVE, name: "sasl.password", kind: Kind::Str, desc: "SASL password for PLAIN and SCRAM.", ..BASE },
    Property { scope: GLOBAL | SENSITIVE, name: "sasl.oauthbearer.config", kind: Kind::Str, desc: "Settings of the built-in unsecured OAUTHBEARER token generator.", ..BASE },
    Property { scope: GLOBAL, name: "enable.sasl.oauthbearer.unsecure.jwt", kind: Kind::Bool, vmin: 0, vmax: 1, vdef: 0, desc: "Use the built-in unsecured JWT generator (testing only).", ..BASE },
    Property { scope: GLOBAL, name: "oauthbearer_token_refresh_cb", kind: Kind::Ptr, desc: "OAUTHBEARER token refresh callback.", ..BASE },
    Property { scope: GLOBAL | HIDDEN, name: "enable_sasl_queue", kind: Kind::Bool, vmin: 0, vmax: 1, vdef: 0, desc: "Serve SASL callbacks from a dedicated queue.", ..BASE },
    Property { scope: GLOBAL, name: "sasl.oauthbearer.method", kind: Kind::S2I, values: &[ev(0, "default"), ev(1, "oidc")], desc: "OAUTHBEARER token source: default or oidc.", ..BASE },
    Property { scope: GLOBAL, name: "sasl.oauthbearer.client.id", kind: Kind::Str, desc: "OIDC client id.", ..BASE },
    Property { scope: GLOBAL, name: "sasl.oauthbearer.client.credentials.client.id", kind: Kind::Alias, sdef: Some("sasl.oauthbearer.client.id"), ..BASE },
    Property { scope: GLOBAL, name: "sasl.oauthbearer.client.credentials.client.secret", kind: Kind::Alias, sdef: Some("sasl.oauthbearer.client.secret"), ..BASE },
    Property { scope: GLOBAL | SENSITIVE, name: "sasl.oauthbearer.client.secret", kind: Kind::Str, desc: "OIDC client secret.", ..BASE },
    Property { scope: GLOBAL, name: "sasl.oauthbearer.scope", kind: Kind::Str, desc: "OIDC scope requested.", ..BASE },
    Property { scope: GLOBAL, name: "sasl.oauthbearer.extensions", kind: Kind::Str, desc: "SASL extensions sent with OAUTHBEARER, key=value CSV.", ..BASE },
    Property { scope: GLOBAL, name: "sasl.oauthbearer.token.endpoint.url", kind: Kind::Str, desc: "OIDC token endpoint URL.", ..BASE },
    Property { scope: GLOBAL, name: "sasl.oauthbearer.sub.claim.name", kind: Kind::Str, sdef: Some("sub"), desc: "JWT claim holding the principal.", ..BASE },
    Property { scope: GLOBAL, name: "sasl.oauthbearer.grant.type", kind: Kind::S2I, values: &[ev(0, "client_credentials"), ev(1, "urn:ietf:params:oauth:grant-type:jwt-bearer")], desc: "OIDC grant type.", ..BASE },
    Property { scope: GLOBAL, name: "sasl.oauthbearer.assertion.algorithm", kind: Kind::S2I, values: &[ev(0, "RS256"), ev(1, "ES256")], desc: "Signing algorithm of the JWT assertion.", ..BASE },
    Property { scope: GLOBAL | SENSITIVE, name: "sasl.oauthbearer.assertion.private.key.file", kind: Kind::Str, desc: "Private key file for signing the JWT assertion.", ..BASE },
    Property { scope: GLOBAL | SENSITIVE, name: "sasl.oauthbearer.assertion.private.key.passphrase", kind: Kind::Str, desc: "Passphrase of the assertion private key.", ..BASE },
    Property { scope: GLOBAL | SENSITIVE, name: "sasl.oauthbearer.assertion.private.key.pem", kind: Kind::Str, desc: "Assertion private key as a PEM string.", ..BASE },
    Property { scope: GLOBAL, name: "sasl.oauthbearer.assertion.file", kind: Kind::Str, desc: "File holding a ready-made JWT assertion.", ..BASE },
    Property { scope: GLOBAL, name: "sasl.oauthbearer.assertion.claim.aud", kind: Kind::Str, desc: "Audience claim of the JWT assertion.", ..BASE },
    Property { scope: GLOBAL, name: "sasl.oauthbearer.assertion.claim.exp.seconds", kind: Kind::Int, vmin: 1, vmax: 2147483647, vdef: 300, desc: "Lifetime of the JWT assertion.", ..BASE },
    Property { scope: GLOBAL, name: "sasl.oauthbearer.assertion.claim.iss", kind: Kind::Str, desc: "Issuer claim of the JWT assertion.", ..BASE },
    Property { scope: GLOBAL, name: "sasl.oauthbearer.assertion.claim.jti.include", kind: Kind::Bool, vmin: 0, vmax: 1, vdef: 0, desc: "Include a jti claim in the JWT assertion.", ..BASE },
    Property { scope: GLOBAL, name: "sasl.oauthbearer.assertion.claim.nbf.seconds", kind: Kind::Int, vmin: 0, vmax: 2147483647, vdef: 60, desc: "Not-before offset of the JWT assertion.", ..BASE },
    Property { scope: GLOBAL, name: "sasl.oauthbearer.assertion.claim.sub", kind: Kind::Str, desc: "Subject claim of the JWT assertion.", ..BASE },
    Property { scope: GLOBAL, name: "sasl.oauthbearer.assertion.jwt.template.file", kind: Kind::Str, desc: "Template file for the JWT assertion header and claims.", ..BASE },
    Property { scope: GLOBAL, name: "sasl.oauthbearer.metadata.authentication.type", kind: Kind::S2I, values: &[ev(0, "none"), ev(1, "azure_imds"), ev(2, "aws_iam")], desc: "Cloud metadata service used to fetch tokens: none, azure_imds or aws_iam.", ..BASE },
    Property { scope: GLOBAL, name: "plugin.library.paths", kind: Kind::Str, desc: "Plugin libraries to load, separated by ';'.", ..BASE },
    Property { scope: GLOBAL, name: "interceptors", kind: Kind::Internal, desc: "Interceptors added through the interceptor API.", ..BASE },
    Property { scope: GLOBAL | HIDDEN, name: "test.mock.num.brokers", kind: Kind::Int, vmin: 0, vmax: 10000, vdef: 0, desc: "Create an embedded mock cluster with this many brokers.", ..BASE },
    Property { scope: GLOBAL | HIDDEN, name: "test.mock.broker.rtt", kind: Kind::Int, vmin: 0, vmax: 3600000, vdef: 0, desc: "Simulated round-trip time of mock brokers.", ..BASE },
    Property { scope: GLOBAL | HIDDEN, name: "ut_handle_ProduceResponse", kind: Kind::Ptr, desc: "Unit-test hook for ProduceResponse handling.", ..BASE },
    Property { scope: GLOBAL | CONSUMER | HIGH, name: "group.id", kind: Kind::Str, desc: "Consumer group id.", ..BASE },
    Property { scope: GLOBAL | CONSUMER | MED, name: "group.instance.id", kind: Kind::Str, desc: "Static group membership id.", ..BASE },
    Property { scope: GLOBAL | CONSUMER | MED, name: "partition.assignment.strategy", kind: Kind::Str, sdef: Some("range,roundrobin"), desc: "Client-side assignors in preference order: range, roundrobin, cooperative-sticky.", ..BASE },
    Property { scope: GLOBAL | CONSUMER | HIGH, name: "session.timeout.ms", kind: Kind::Int, vmin: 1, vmax: 3600000, vdef: 45000, desc: "Group session timeout (classic protocol).", ..BASE },
    Property { scope: GLOBAL | CONSUMER, name: "heartbeat.interval.ms", kind: Kind::Int, vmin: 1, vmax: 3600000, vdef: 3000, desc: "Group heartbeat interval (classic protocol).", ..BASE },
    Property { scope: GLOBAL | CONSUMER, name: "group.protocol.type", kind: Kind::KStr, sdef: Some("consumer"), desc: "Group protocol type (classic protocol).", ..BASE },
    Property { scope: GLOBAL | CONSUMER | HIGH, name: "group.protocol", kind: Kind::S2I, values: &[ev(0, "classic"), ev(1, "consumer")], desc: "Group protocol: classic or consumer (KIP-848).", ..BASE },
    Property { scope: GLOBAL | CONSUMER | MED, name: "group.remote.assignor", kind: Kind::Str, desc: "Server-side assignor for group.protocol=consumer.", ..BASE },
    Property { scope: GLOBAL | CONSUMER, name: "coordinator.query.interval.ms", kind: Kind::Int, vmin: 1, vmax: 3600000, vdef: 600000, desc: "How often the group coordinator is looked up again.", ..BASE },
    Property { scope: GLOBAL | CONSUMER | HIGH, name: "max.poll.interval.ms", kind: Kind::Int, vmin: 1, vmax: 86400000, vdef: 300000, desc: "Maximum time between consumer polls before the member leaves the group.", ..BASE },
    Property { scope: GLOBAL | CONSUMER | HIGH, name: "enable.auto.commit", kind: Kind::Bool, vmin: 0, vmax: 1, vdef: 1, desc: "Commit offsets automatically in the background.", ..BASE },
    Property { scope: GLOBAL | CONSUMER | MED, name: "auto.commit.interval.ms", kind: Kind::Int, vmin: 0, vmax: 86400000, vdef: 5000, desc: "Interval of automatic offset commits.", ..BASE },
    Property { scope: GLOBAL | CONSUMER | HIGH, name: "enable.auto.offset.store", kind: Kind::Bool, vmin: 0, vmax: 1, vdef: 1, desc: "Store the offset of each message handed to the application.", ..BASE },
    Property { scope: GLOBAL | CONSUMER | MED, name: "queued.min.messages", kind: Kind::Int, vmin: 1, vmax: 10000000, vdef: 100000, desc: "Minimum messages per partition kept in the local consumer queue.", ..BASE },
    Property { scope: GLOBAL | CONSUMER | MED, name: "queued.max.messages.kbytes", kind: Kind::Int, vmin: 1, vmax: 2097151, vdef: 65536, desc: "Maximum kilobytes kept in the local consumer queue.", ..BASE },
    Property { scope: GLOBAL | CONSUMER, name: "fetch.wait.max.ms", kind: Kind::Int, vmin: 0, vmax: 300000, vdef: 500, desc: "Maximum time the broker waits to fill fetch.min.bytes.", ..BASE },
    Property { scope: GLOBAL | CONSUMER | MED, name: "fetch.queue.backoff.ms", kind: Kind::Int, vmin: 0, vmax: 300000, vdef: 1000, desc: "Delay before fetching again when the local queue is full.", ..BASE },
    Property { scope: GLOBAL | CONSUMER | MED, name: "fetch.message.max.bytes", kind: Kind::Int, vmin: 1, vmax: 1000000000, vdef: 1048576, desc: "Initial maximum bytes fetched per partition.", ..BASE },
    Property { scope: GLOBAL | CONSUMER | MED, name: "max.partition.fetch.bytes", kind: Kind::Alias, sdef: Some("fetch.message.max.bytes"), ..BASE },
    Property { scope: GLOBAL | CONSUMER | MED, name: "fetch.max.bytes", kind: Kind::Int, vmin: 0, vmax: 2147483135, vdef: 52428800, desc: "Maximum bytes per fetch response.", ..BASE },
    Property { scope: GLOBAL | CONSUMER, name: "fetch.min.bytes", kind: Kind::Int, vmin: 0, vmax: 2147483647, vdef: 1, desc: "Minimum bytes the broker should return per fetch.", ..BASE },
    Property { scope: GLOBAL | CONSUMER | MED, name: "fetch.error.backoff.ms", kind: Kind::Int, vmin: 0, vmax: 300000, vdef: 500, desc: "Delay before fetching a partition again after a fetch error.", ..BASE },
    Property { scope: GLOBAL | CONSUMER | DEPRECATED, name: "offset.store.method", kind: Kind::S2I, vdef: 2, values: &[ev(0, "none"), ev(1, "file"), ev(2, "broker")], desc: "Where offsets are stored: broker (file is obsolete).", ..BASE },
    Property { scope: GLOBAL | CONSUMER | HIGH, name: "isolation.level", kind: Kind::S2I, vdef: 1, values: &[ev(0, "read_uncommitted"), ev(1, "read_committed")], desc: "Whether aborted transactional messages are returned.", ..BASE },
    Property { scope: GLOBAL | CONSUMER, name: "consume_cb", kind: Kind::Ptr, desc: "Message callback for consumer_poll.", ..BASE },
    Property { scope: GLOBAL | CONSUMER, name: "rebalance_cb", kind: Kind::Ptr, desc: "Group rebalance callback.", ..BASE },
    Property { scope: GLOBAL | CONSUMER, name: "offset_commit_cb", kind: Kind::Ptr, desc: "Offset commit result callback.", ..BASE },
    Property { scope: GLOBAL | CONSUMER, name: "enable.partition.eof", kind: Kind::Bool, vmin: 0, vmax: 1, vdef: 0, desc: "Emit an event when a partition reaches its end.", ..BASE },
    Property { scope: GLOBAL | CONSUMER | MED, name: "check.crcs", kind: Kind::Bool, vmin: 0, vmax: 1, vdef: 0, desc: "Verify CRC32 of consumed records.", ..BASE },
    Property { scope: GLOBAL, name: "client.rack", kind: Kind::KStr, sdef: Some(""), desc: "Rack id of this client, for fetch-from-follower.", ..BASE },
    Property { scope: GLOBAL | CONSUMER, name: "max.poll.records", kind: Kind::Int, vmin: 1, vmax: 2147483647, vdef: 500, desc: "Maximum records returned per poll (share consumer).", ..BASE },
    Property { scope: GLOBAL | CONSUMER | MED, name: "share.acknowledgement.mode", kind: Kind::Str, sdef: Some("implicit"), desc: "Share consumer acknowledgement mode: implicit or explicit.", ..BASE },
    Property { scope: GLOBAL | PRODUCER | HIGH, name: "transactional.id", kind: Kind::Str, desc: "Transactional producer id; enables transactions.", ..BASE },
    Property { scope: GLOBAL | PRODUCER | MED, name: "transaction.timeout.ms", kind: Kind::Int, vmin: 1000, vmax: 2147483647, vdef: 60000, desc: "Transaction timeout sent to the coordinator.", ..BASE },
    Property { scope: GLOBAL | PRODUCER | HIGH, name: "enable.idempotence", kind: Kind::Bool, vmin: 0, vmax: 1, vdef: 0, desc: "Idempotent producer: exactly-once, in-order delivery per partition.", ..BASE },
    Property { scope: GLOBAL | PRODUCER | EXPERIMENTAL, name: "enable.gapless.guarantee", kind: Kind::Bool, vmin: 0, vmax: 1, vdef: 0, desc: "Fail fatally if an idempotent producer would have to leave a gap.", ..BASE },
    Property { scope: GLOBAL | PRODUCER | HIGH, name: "queue.buffering.max.messages", kind: Kind::Int, vmin: 0, vmax: 2147483647, vdef: 100000, desc: "Maximum messages waiting in the producer queue.", ..BASE },
    Property { scope: GLOBAL | PRODUCER | HIGH, name: "queue.buffering.max.kbytes", kind: Kind::Int, vmin: 1, vmax: 2147483647, vdef: 1048576, desc: "Maximum kilobytes waiting in the producer queue.", ..BASE },
    Property { scope: GLOBAL | PRODUCER | HIGH, name: "queue.buffering.max.ms", kind: Kind::Dbl, dmin: 0.0, dmax: 900000.0, ddef: 5.0, desc: "Delay for accumulating messages into batches.", ..BASE },
    Property { scope: GLOBAL | PRODUCER | HIGH, name: "linger.ms", kind: Kind::Alias, sdef: Some("queue.buffering.max.ms"), ..BASE },
    Property { scope: GLOBAL | PRODUCER | HIGH, name: "message.send.max.retries", kind: Kind::Int, vmin: 0, vmax: 2147483647, vdef: 2147483647, desc: "Retries of a failing produce request.", ..BASE },
    Property { scope: GLOBAL | PRODUCER, name: "retries", kind: Kind::Alias, sdef: Some("message.send.max.retries"), ..BASE },
    Property { scope: GLOBAL | MED, name: "retry.backoff.ms", kind: Kind::Int, vmin: 1, vmax: 300000, vdef: 100, desc: "Initial backoff before retrying a request.", ..BASE },
    Property { scope: GLOBAL | MED, name: "retry.backoff.max.ms", kind: Kind::Int, vmin: 1, vmax: 300000, vdef: 1000, desc: "Maximum backoff before retrying a request.", ..BASE },
    Property { scope: GLOBAL | PRODUCER, name: "queue.buffering.backpressure.threshold", kind: Kind::Int, vmin: 1, vmax: 1000000, vdef: 1, desc: "Outstanding produce requests at which batching waits for linger.", ..BASE },
    Property { scope: GLOBAL | PRODUCER | MED, name: "compression.codec", kind: Kind::S2I, values: &[ev(0, "none"), ev(1, "gzip"), ev(2, "snappy"), ev(3, "lz4"), ev(4, "zstd")], desc: "Compression codec for produced batches.", ..BASE },
    Property { scope: GLOBAL | PRODUCER | MED, name: "compression.type", kind: Kind::Alias, sdef: Some("compression.codec"), ..BASE },
    Property { scope: GLOBAL | PRODUCER | MED, name: "batch.num.messages", kind: Kind::Int, vmin: 1, vmax: 1000000, vdef: 10000, desc: "Maximum messages per produce batch.", ..BASE },
    Property { scope: GLOBAL | PRODUCER | MED, name: "batch.size", kind: Kind::Int, vmin: 1, vmax: 2147483647, vdef: 1000000, desc: "Maximum bytes per produce batch.", ..BASE },
    Property { scope: GLOBAL | PRODUCER, name: "delivery.report.only.error", kind: Kind::Bool, vmin: 0, vmax: 1, vdef: 0, desc: "Only report failed deliveries.", ..BASE },
    Property { scope: GLOBAL | PRODUCER, name: "dr_cb", kind: Kind::Ptr, desc: "Delivery report callback (legacy).", ..BASE },
    Property { scope: GLOBAL | PRODUCER, name: "dr_msg_cb", kind: Kind::Ptr, desc: "Delivery report callback.", ..BASE },
    Property { scope: GLOBAL | PRODUCER, name: "sticky.partitioning.linger.ms", kind: Kind::Int, vmin: 0, vmax: 900000, vdef: 10, desc: "How long the sticky partitioner keeps one partition for keyless messages.", ..BASE },
    Property { scope: GLOBAL, name: "client.dns.lookup", kind: Kind::S2I, values: &[ev(0, "use_all_dns_ips"), ev(1, "resolve_canonical_bootstrap_servers_only")], desc: "How bootstrap hostnames are resolved.", ..BASE },
    Property { scope: GLOBAL, name: "enable.metrics.push", kind: Kind::Bool, vmin: 0, vmax: 1, vdef: 1, desc: "Push client metrics to brokers that ask for them (KIP-714).", ..BASE },
    Property { scope: PRODUCER | TOPIC | HIGH, name: "request.required.acks", kind: Kind::Int, vmin: -1, vmax: 1000, vdef: -1, values: &[ev(-1, "all")], desc: "Broker acknowledgements required: 0, 1 or -1/all.", ..BASE },
    Property { scope: PRODUCER | TOPIC | HIGH, name: "acks", kind: Kind::Alias, sdef: Some("request.required.acks"), ..BASE },
    Property { scope: PRODUCER | TOPIC | MED, name: "request.timeout.ms", kind: Kind::Int, vmin: 1, vmax: 900000, vdef: 30000, desc: "Produce request timeout on the broker.", ..BASE },
    Property { scope: PRODUCER | TOPIC | HIGH, name: "message.timeout.ms", kind: Kind::Int, vmin: 0, vmax: 2147483647, vdef: 300000, desc: "Time limit for delivering a message, retries included (0 = none).", ..BASE },
    Property { scope: PRODUCER | TOPIC | HIGH, name: "delivery.timeout.ms", kind: Kind::Alias, sdef: Some("message.timeout.ms"), ..BASE },
    Property { scope: PRODUCER | TOPIC | DEPRECATED | EXPERIMENTAL, name: "queuing.strategy", kind: Kind::S2I, values: &[ev(0, "fifo"), ev(1, "lifo")], desc: "Producer queue order.", ..BASE },
    Property { scope: PRODUCER | TOPIC | DEPRECATED, name: "produce.offset.report", kind: Kind::Bool, vmin: 0, vmax: 1, vdef: 0, desc: "Unused.", ..BASE },
    Property { scope: PRODUCER | TOPIC | HIGH, name: "partitioner", kind: Kind::Str, sdef: Some("consistent_random"), check: Check::Partitioner, desc: "Built-in partitioner: random, consistent, consistent_random, murmur2, murmur2_random, fnv1a, fnv1a_random.", ..BASE },
    Property { scope: PRODUCER | TOPIC, name: "partitioner_cb", kind: Kind::Ptr, desc: "Custom partitioner callback.", ..BASE },
    Property { scope: PRODUCER | TOPIC | DEPRECATED | EXPERIMENTAL, name: "msg_order_cmp", kind: Kind::Ptr, desc: "Message order comparator.", ..BASE },
    Property { scope: TOPIC, name: "opaque", kind: Kind::Ptr, desc: "Application opaque pointer for topic callbacks.", ..BASE },
    Property { scope: PRODUCER | TOPIC | HIGH, name: "compression.codec", kind: Kind::S2I, vdef: 5, values: &[ev(0, "none"), ev(1, "gzip"), ev(2, "snappy"), ev(3, "lz4"), ev(4, "zstd"), ev(5, "inherit")], desc: "Compression codec for this topic; inherit uses the global setting.", ..BASE },
    Property { scope: PRODUCER | TOPIC | HIGH, name: "compression.type", kind: Kind::Alias, sdef: Some("compression.codec"), ..BASE },
    Property { scope: PRODUCER | TOPIC | MED, name: "compression.level", kind: Kind::Int, vmin: -1, vmax: 12, vdef: -1, desc: "Compression level for the codec (-1 = codec default).", ..BASE },
    Property { scope: CONSUMER | TOPIC | DEPRECATED, name: "auto.commit.enable", kind: Kind::Bool, vmin: 0, vmax: 1, vdef: 1, desc: "Commit offsets automatically (legacy consumer).", ..BASE },
    Property { scope: CONSUMER | TOPIC, name: "enable.auto.commit", kind: Kind::Alias, sdef: Some("auto.commit.enable"), ..BASE },
    Property { scope: CONSUMER | TOPIC | HIGH, name: "auto.commit.interval.ms", kind: Kind::Int, vmin: 10, vmax: 86400000, vdef: 60000, desc: "Interval of automatic offset commits (legacy consumer).", ..BASE },
    Property { scope: CONSUMER | TOPIC | HIGH, name: "auto.offset.reset", kind: Kind::S2I, vdef: -1, values: &[ev(-2, "smallest"), ev(-2, "earliest"), ev(-2, "beginning"), ev(-1, "largest"), ev(-1, "latest"), ev(-1, "end"), ev(-1001, "error")], desc: "Where to start when there is no valid committed offset.", ..BASE },
    Property { scope: CONSUMER | TOPIC | DEPRECATED, name: "offset.store.path", kind: Kind::Str, sdef: Some("."), desc: "Directory of the obsolete file offset store.", ..BASE },
    Property { scope: CONSUMER | TOPIC | DEPRECATED, name: "offset.store.sync.interval.ms", kind: Kind::Int, vmin: -1, vmax: 86400000, vdef: -1, desc: "fsync interval of the obsolete file offset store.", ..BASE },
    Property { scope: CONSUMER | TOPIC | DEPRECATED, name: "offset.store.method", kind: Kind::S2I, vdef: 2, values: &[ev(1, "file"), ev(2, "broker")], desc: "Where offsets are stored: broker (file is obsolete).", ..BASE },
    Property { scope: CONSUMER | TOPIC, name: "consume.callback.max.messages", kind: Kind::Int, vmin: 0, vmax: 1000000, vdef: 0, desc: "Maximum messages per rd_kafka_consume_callback call (0 = no limit).", ..BASE },
];

/// Finds `name` in `scope` (GLOBAL or TOPIC), following aliases.
/// Returns the index into `PROPERTIES`.
pub fn find(scope: u16, name: &str) -> Option<usize> {
    let mut name = name;
    // Alias chains are one step long; the bound guards against a table bug.
    for _ in 0..4 {
        let i = find_raw(scope, name)?;
        let p = &PROPERTIES[i];
        if p.kind != Kind::Alias {
            return Some(i);
        }
        name = p.sdef?;
    }
    None
}

/// Finds `name` in `scope` without following aliases.
pub fn find_raw(scope: u16, name: &str) -> Option<usize> {
    PROPERTIES.iter().position(|p| p.scope & scope != 0 && p.name == name)
}

/// A global property's own name, and the alias target when `name` is an alias; None
/// for topic properties and unknown names (what interceptors see, see the C layer).
pub fn global_property(name: &str) -> Option<(&'static str, Option<&'static str>)> {
    let p = &PROPERTIES[find(GLOBAL, name)?];
    Some((p.name, (p.name != name).then_some(p.name)))
}
