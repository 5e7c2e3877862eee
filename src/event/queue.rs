//! Event queues (rd_kafka_queue_t): carry events from internal threads to the polling
//! thread, with forwarding (librdkafka's rkq_fwdq) and application wake-ups.

use super::kind::Event;
use crate::cursor::Prefetch;
use std::collections::VecDeque;
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

struct Inner {
    events: VecDeque<Event>,
    fwd: Option<Arc<Queue>>,
    /// Set by `wake()` (rd_kafka_yield): the next blocked pop returns early once.
    woken: bool,
    /// Told about new events (rd_kafka_queue_io_event_enable / cb_event_enable).
    wakeup: Option<Wakeup>,
}

/// How an application hears that a queue has events: `call` runs outside the queue
/// lock, on the enqueuing thread. The C layer builds it (an fd write or the
/// application's callback), so no raw pointer or fd is handled here.
pub struct Wakeup {
    call: Arc<dyn Fn() + Send + Sync>,
    /// rd_kafka_queue_io_event_enable: once until the queue is served again.
    /// Otherwise (cb_event_enable): whenever an event lands on an empty queue.
    until_served: bool,
    sent: bool,
}

impl Wakeup {
    pub fn new(call: Arc<dyn Fn() + Send + Sync>, until_served: bool) -> Wakeup {
        Wakeup { call, until_served, sent: false }
    }
}

impl Inner {
    /// After events were added: what to call once the lock is released.
    fn wakeup_after_push(&mut self, was_empty: bool) -> Option<Arc<dyn Fn() + Send + Sync>> {
        let w = self.wakeup.as_mut()?;
        let fire = if w.until_served { !std::mem::replace(&mut w.sent, true) } else { was_empty };
        fire.then(|| w.call.clone())
    }

    fn served(&mut self) {
        if let Some(w) = &mut self.wakeup {
            w.sent = false;
        }
    }
}

/// An event queue (rd_kafka_queue_t). Pushing to a forwarded queue pushes to its destination.
pub struct Queue {
    inner: Mutex<Inner>,
    cond: Condvar,
    /// Fetched messages waiting here (the consumer's prefetch limit counts per queue).
    prefetch: Arc<Prefetch>,
}

impl Default for Queue {
    fn default() -> Self {
        Queue {
            inner: Mutex::new(Inner { events: VecDeque::new(), fwd: None, woken: false, wakeup: None }),
            cond: Condvar::new(),
            prefetch: Arc::default(),
        }
    }
}

impl Queue {
    pub fn new() -> Arc<Queue> {
        Arc::new(Queue::default())
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        // A poisoned queue lock only means a callback panicked elsewhere; the data is intact.
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub fn push(&self, ev: Event) {
        self.push_many(std::iter::once(ev));
    }

    /// Pushes many events under one lock (a fetch response's messages).
    pub fn push_many(&self, evs: impl IntoIterator<Item = Event>) {
        let mut g = self.lock();
        if let Some(fwd) = g.fwd.clone() {
            drop(g);
            fwd.push_many(evs);
            return;
        }
        let before = g.events.len();
        g.events.extend(evs);
        let added = g.events.len() > before;
        let call = if added { g.wakeup_after_push(before == 0) } else { None };
        drop(g);
        if added {
            self.cond.notify_one();
        }
        if let Some(f) = call {
            f();
        }
    }

    /// Sets (or clears) how the application hears about new events.
    /// Only events added afterwards are signalled, as in librdkafka.
    pub fn set_wakeup(&self, w: Option<Wakeup>) {
        self.lock().wakeup = w;
    }

    /// Pops one event, waiting up to `timeout` (None = forever).
    pub fn pop(&self, timeout: Option<Duration>) -> Option<Event> {
        if timeout == Some(Duration::ZERO) {
            return self.try_pop();
        }
        let mut g = self.lock();
        g.served();
        // Fast path: no clock read when an event is waiting.
        if let Some(ev) = g.events.pop_front() {
            return Some(ev);
        }
        let deadline = timeout.map(|t| Instant::now() + t);
        loop {
            if let Some(ev) = g.events.pop_front() {
                return Some(ev);
            }
            if g.woken {
                g.woken = false;
                return None;
            }
            match deadline {
                None => g = self.cond.wait(g).unwrap_or_else(|e| e.into_inner()),
                Some(d) => {
                    let now = Instant::now();
                    if now >= d {
                        return None;
                    }
                    g = self.cond.wait_timeout(g, d - now).unwrap_or_else(|e| e.into_inner()).0;
                }
            }
        }
    }

    /// Pops without waiting.
    pub fn try_pop(&self) -> Option<Event> {
        let mut g = self.lock();
        g.served();
        g.events.pop_front()
    }

    pub fn len(&self) -> usize {
        let g = self.lock();
        match &g.fwd {
            Some(f) => {
                let f = f.clone();
                drop(g);
                f.len()
            }
            None => g.events.len(),
        }
    }

    /// The prefetch count of the queue events pushed here end up on (forwarding followed).
    pub fn prefetch(&self) -> Arc<Prefetch> {
        let g = self.lock();
        match &g.fwd {
            Some(f) => {
                let f = f.clone();
                drop(g);
                f.prefetch()
            }
            None => self.prefetch.clone(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Routes this queue's events (present and future) to `dst`, or stops routing (None).
    pub fn forward(self: &Arc<Self>, dst: Option<Arc<Queue>>) {
        let mut g = self.lock();
        if let Some(d) = &dst {
            if Arc::ptr_eq(d, self) {
                g.fwd = None;
                return;
            }
            let moved: Vec<Event> = g.events.drain(..).collect();
            g.fwd = dst.clone();
            drop(g);
            for ev in moved {
                d.push(ev);
            }
        } else {
            g.fwd = None;
        }
    }

    /// Wakes a thread blocked in `pop` (rd_kafka_yield / queue_yield).
    pub fn wake(&self) {
        let mut g = self.lock();
        if let Some(f) = g.fwd.clone() {
            drop(g);
            f.wake();
            return;
        }
        g.woken = true;
        drop(g);
        self.cond.notify_all();
    }

    /// Wakes waiters without making them return (used when a count they watch changes).
    pub fn notify(&self) {
        self.cond.notify_all();
    }

    /// Removes every event (queue destroy / purge).
    pub fn drain(&self) -> Vec<Event> {
        self.lock().events.drain(..).collect()
    }
}
