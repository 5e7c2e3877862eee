//! The file offset store of the legacy consumer (`offset.store.method=file`, deprecated
//! in librdkafka but still served by it): a partition started with it opens
//! `<offset.store.path>/<topic>-<partition>[-<group.id>].offset` (through the
//! application's open_cb when set), starts at the offset written there when asked for
//! the stored offset, and writes its stored offset back ("<offset>\n") while consuming
//! and when stopped.

use crate::cursor::{OffsetSink, OFFSET_INVALID};
use crate::error::{os_error_text, ErrorCode};
use crate::instance::{dbg, Instance};
use crate::metadata::Partition;
use std::fs::File;
use std::io::{Read, Seek, SeekFrom, Write};
use std::os::fd::OwnedFd;

/// An open offset file and what was last written to it.
#[derive(Debug)]
pub struct OffsetFile {
    pub path: String,
    file: File,
    written: i64,
    /// offset.store.sync.interval.ms: 0 syncs every write, -1 never, else at close.
    sync_ms: i64,
}

/// The file's path, as librdkafka names it (a directory gets the file name added).
fn path_of(dir: &str, topic: &str, partition: i32, group: Option<&str>) -> String {
    if !std::path::Path::new(dir).is_dir() {
        return dir.to_string();
    }
    let name = match group {
        Some(g) => format!("{topic}-{partition}-{g}.offset"),
        None => format!("{topic}-{partition}.offset"),
    };
    // As librdkafka: characters not safe in a file name become '%XX'.
    let esc: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "-_.".contains(c) {
                c.to_string()
            } else {
                format!("%{:02X}", c as u32)
            }
        })
        .collect();
    let sep = if dir.ends_with('/') { "" } else { "/" };
    format!("{dir}{sep}{esc}")
}

/// Opens the partition's offset file (O_CREAT|O_RDWR, 0644) and reads the offset in
/// it. Returns the file (None when it cannot be opened: an error event says why) and
/// the offset (OFFSET_INVALID when none is usable).
pub fn open(rk: &Instance, p: &Partition, dir: &str, sync_ms: i64) -> (Option<OffsetFile>, i64) {
    let group = rk.conf.string("group.id").filter(|g| !g.is_empty());
    let path = path_of(dir, &p.topic_name, p.id, group.as_deref());
    let opened: std::io::Result<File> = match &rk.hooks.sockets {
        Some(h) => h.open(&path, libc::O_CREAT | libc::O_RDWR, 0o644).map(|fd: OwnedFd| File::from(fd)),
        None => {
            use std::os::unix::fs::OpenOptionsExt;
            std::fs::OpenOptions::new()
                .read(true)
                .write(true)
                .create(true)
                .truncate(false)
                .mode(0o644)
                .open(&path)
        }
    };
    let mut file = match opened {
        Ok(f) => f,
        Err(e) => {
            let msg = format!(
                "{} [{}]: Failed to open offset file {path}: {}",
                p.topic_name,
                p.id,
                os_error_text(&e)
            );
            rk.error(ErrorCode::_FS, msg);
            return (None, OFFSET_INVALID);
        }
    };
    let mut text = String::new();
    let offset = match file.read_to_string(&mut text) {
        Ok(0) => OFFSET_INVALID,
        Ok(_) => match text.trim().parse::<i64>() {
            Ok(o) if o >= 0 => o,
            _ => {
                let msg = format!("{} [{}]: Unable to parse offset in {path}", p.topic_name, p.id);
                rk.error(ErrorCode::_FS, msg);
                OFFSET_INVALID
            }
        },
        Err(_) => OFFSET_INVALID,
    };
    rk.dbg(dbg::TOPIC, "OFFSET", || {
        format!("{} [{}]: using offset file {path}: offset {offset}", p.topic_name, p.id)
    });
    (Some(OffsetFile { path, file, written: offset, sync_ms }), offset)
}

impl OffsetSink for OffsetFile {
    fn store(&mut self, offset: i64) -> Result<(), String> {
        if offset < 0 || offset == self.written {
            return Ok(());
        }
        let line = format!("{offset}\n");
        let res = self
            .file
            .seek(SeekFrom::Start(0))
            .and_then(|_| self.file.write_all(line.as_bytes()))
            .and_then(|_| self.file.set_len(line.len() as u64))
            .and_then(|_| if self.sync_ms == 0 { self.file.sync_data() } else { Ok(()) });
        match res {
            Ok(()) => {
                self.written = offset;
                Ok(())
            }
            Err(e) => Err(format!("Failed to write offset {offset} to {}: {}", self.path, os_error_text(&e))),
        }
    }

    fn sync(&mut self) {
        if self.sync_ms >= 0 {
            let _ = self.file.sync_data();
        }
    }
}

/// Writes a partition's stored offset to its offset file, if it has one; with
/// `close`, syncs and closes the file.
pub fn flush(rk: &Instance, p: &Partition, close: bool) {
    let mut c = p.cons();
    let stored = c.stored_offset;
    let Some(sink) = c.offset_sink.as_mut() else { return };
    let res = sink.store(stored);
    if close {
        sink.sync();
        c.offset_sink = None;
    }
    drop(c);
    if let Err(e) = res {
        rk.error(ErrorCode::_FS, format!("{} [{}]: {e}", p.topic_name, p.id));
    }
}
