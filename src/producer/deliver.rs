//! Where finished messages go: delivery reports for the application (or nothing, when
//! no one listens).

use super::Producer;
use crate::clock::now_us;
use crate::error::ErrorCode;
use crate::event::Event;
use crate::message::Message;

/// Fails messages with `err` and reports them.
pub fn fail_msgs(prod: &Producer, mut msgs: Vec<Box<Message>>, err: ErrorCode, errstr: Option<String>) {
    for m in msgs.iter_mut() {
        m.set_error(err, errstr.clone());
    }
    deliver(prod, msgs);
}

/// Hands finished messages to the application as delivery reports (or drops them when
/// no one listens). Dropping a message releases its queue accounting.
pub fn deliver(prod: &Producer, mut msgs: Vec<Box<Message>>) {
    // Interceptors hear of every outcome, wanted as a delivery report or not.
    prod.rk.icpt(|i| msgs.iter_mut().for_each(|m| i.on_acknowledgement(m)));
    if let Some(t) = &prod.txn {
        t.count_failed(msgs.iter().filter(|m| m.c.err != 0).count());
    }
    if !prod.rk.hooks.dr_enabled {
        return;
    }
    let now = now_us();
    for m in msgs.iter_mut().filter(|m| m.latency_us < 0 && m.enq_us > 0) {
        m.latency_us = now - m.enq_us;
    }
    if prod.rk.settings.dr_only_error {
        msgs.retain(|m| m.c.err != 0);
    }
    if !msgs.is_empty() {
        prod.rk.main_q.push(Event::Dr(msgs));
    }
}
