//! What log lines need besides the line: the debug contexts (the `debug` property) and
//! the name of the thread that logs ("[thrd:NAME]: ", as librdkafka prints it).

/// Debug contexts (the `debug` property), as bit flags.
pub mod dbg {
    pub const GENERIC: u32 = 0x1;
    pub const BROKER: u32 = 0x2;
    pub const TOPIC: u32 = 0x4;
    pub const METADATA: u32 = 0x8;
    pub const FEATURE: u32 = 0x10;
    pub const QUEUE: u32 = 0x20;
    pub const MSG: u32 = 0x40;
    pub const PROTOCOL: u32 = 0x80;
    pub const CGRP: u32 = 0x100;
    pub const SECURITY: u32 = 0x200;
    pub const FETCH: u32 = 0x400;
    pub const CONSUMER: u32 = 0x2000;
    pub const EOS: u32 = 0x8000;
    pub const CONF: u32 = 0x40000;
    pub const ALL: u32 = 0xfffff;

    pub fn parse(csv: &str) -> u32 {
        let mut f = 0;
        for w in csv.split(',').map(str::trim) {
            f |= match w {
                "generic" => GENERIC,
                "broker" => BROKER,
                "topic" => TOPIC,
                "metadata" => METADATA,
                "feature" => FEATURE,
                "queue" => QUEUE,
                "msg" => MSG,
                "protocol" => PROTOCOL,
                "cgrp" => CGRP,
                "security" => SECURITY,
                "fetch" => FETCH,
                "consumer" => CONSUMER,
                "eos" => EOS,
                "conf" => CONF,
                "all" => ALL,
                _ => 0,
            };
        }
        f
    }
}

thread_local! {
    /// This thread's name in log lines ("[thrd:NAME]: "): librdkafka's names are "app"
    /// for application threads, "main", "background", and a broker's name.
    static LOG_THREAD: std::cell::RefCell<Option<String>> = const { std::cell::RefCell::new(None) };
}

/// Names the calling (internal) thread for log lines.
pub fn set_log_thread(name: &str) {
    LOG_THREAD.with(|t| *t.borrow_mut() = Some(name.to_string()));
}

/// `msg` with the calling thread's name in front.
pub fn with_thread_name(msg: &str) -> String {
    LOG_THREAD.with(|t| format!("[thrd:{}]: {}", t.borrow().as_deref().unwrap_or("app"), msg))
}
