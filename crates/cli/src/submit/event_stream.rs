//! The client side of `GET /api/v1/events`: one Server-Sent Events connection read chunk by
//! chunk, and the parser of the `text/event-stream` format (the fields `id`, `event` and
//! `data`; comments such as the server's keep-alives are skipped).

use anyhow::{Context, Result};

use crate::api_client::{ApiRefusal, Backend};

/// The server sends a keep-alive every 15 s: a stream silent for this long is dead.
const SILENCE: std::time::Duration = std::time::Duration::from_secs(45);

/// One dispatched event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SseEvent {
    /// `id:`, the value to send back as `Last-Event-ID`.
    pub id: Option<String>,
    /// `event:` (`message` when absent).
    pub kind: String,
    /// The `data:` lines joined with `\n`.
    pub data: String,
}

/// The `text/event-stream` parser: bytes in, whole events out.
#[derive(Debug, Default)]
pub struct SseParser {
    buf: Vec<u8>,
    id: Option<String>,
    kind: Option<String>,
    data: Vec<String>,
    has_data: bool,
}

impl SseParser {
    /// Feeds bytes; returns the events they complete.
    pub fn feed(&mut self, bytes: &[u8]) -> Vec<SseEvent> {
        self.buf.extend_from_slice(bytes);
        let mut out = Vec::new();
        // A line ends at \n, \r\n or \r (a \r at the very end may be half of \r\n: wait).
        while let Some(end) = self.buf.iter().position(|b| *b == b'\n' || *b == b'\r') {
            let next = match self.buf[end] {
                b'\r' if end + 1 == self.buf.len() => break,
                b'\r' if self.buf[end + 1] == b'\n' => end + 2,
                _ => end + 1,
            };
            let line = String::from_utf8_lossy(&self.buf[..end]).into_owned();
            self.buf.drain(..next);
            if let Some(e) = self.line(&line) {
                out.push(e);
            }
        }
        out
    }

    fn line(&mut self, line: &str) -> Option<SseEvent> {
        if line.is_empty() {
            let kind = self.kind.take();
            if !std::mem::take(&mut self.has_data) {
                return None;
            }
            return Some(SseEvent {
                id: self.id.clone(),
                kind: kind.unwrap_or_else(|| "message".into()),
                data: std::mem::take(&mut self.data).join("\n"),
            });
        }
        if line.starts_with(':') {
            return None;
        }
        let (field, value) = match line.split_once(':') {
            Some((f, v)) => (f, v.strip_prefix(' ').unwrap_or(v)),
            None => (line, ""),
        };
        match field {
            "id" if !value.contains('\0') => self.id = Some(value.to_owned()),
            "event" => self.kind = Some(value.to_owned()),
            "data" => {
                self.data.push(value.to_owned());
                self.has_data = true;
            }
            _ => {}
        }
        None
    }
}

/// An open event stream.
pub struct EventStream {
    response: reqwest::Response,
    parser: SseParser,
    ready: std::collections::VecDeque<SseEvent>,
    /// The id of the last event read (sent as `Last-Event-ID` when reconnecting).
    pub last_id: Option<String>,
}

impl EventStream {
    /// Opens the stream; once this returns, every later event of the key's projects will be
    /// delivered (the server fixes the stream's start before it answers). With `last_id`,
    /// the events after it are replayed first.
    pub async fn open(backend: &Backend, last_id: Option<String>) -> Result<EventStream> {
        let url = backend.url("/api/v1/events");
        let mut req = backend
            .http
            .get(&url)
            .bearer_auth(&backend.key)
            .header(reqwest::header::ACCEPT, "text/event-stream");
        if let Some(id) = &last_id {
            req = req.header("last-event-id", id);
        }
        let response = req
            .send()
            .await
            .with_context(|| format!("cannot reach {url}"))?;
        let status = response.status();
        if !status.is_success() {
            let body = response.text().await.unwrap_or_default();
            return Err(ApiRefusal::from_body(status.as_u16(), &body, None).into());
        }
        Ok(EventStream {
            response,
            parser: SseParser::default(),
            ready: Default::default(),
            last_id,
        })
    }

    /// The next event; `Ok(None)` when the server ended the stream.
    pub async fn next(&mut self) -> Result<Option<SseEvent>> {
        loop {
            if let Some(e) = self.ready.pop_front() {
                if e.id.is_some() {
                    self.last_id.clone_from(&e.id);
                }
                return Ok(Some(e));
            }
            let chunk = tokio::time::timeout(SILENCE, self.response.chunk())
                .await
                .map_err(|_| anyhow::anyhow!("the event stream went silent"))?;
            match chunk.context("the event stream broke")? {
                Some(bytes) => self.ready.extend(self.parser.feed(&bytes)),
                None => return Ok(None),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_split_across_chunks_and_line_endings_are_parsed_whole() {
        let mut p = SseParser::default();
        assert!(
            p.feed(b": keep-alive\n\nid: 7\r\nevent: preview.ready\r")
                .is_empty()
        );
        assert!(p.feed(b"\ndata: {\"a\":").is_empty());
        let got = p.feed(b"1}\ndata: x\n\nid: 8\rdata:y\r\r\n");
        assert_eq!(
            got,
            [
                SseEvent {
                    id: Some("7".into()),
                    kind: "preview.ready".into(),
                    data: "{\"a\":1}\nx".into(),
                },
                SseEvent {
                    id: Some("8".into()),
                    kind: "message".into(),
                    data: "y".into(),
                },
            ]
        );
    }

    #[test]
    fn an_event_without_data_is_not_dispatched_and_its_type_does_not_leak() {
        let mut p = SseParser::default();
        assert!(p.feed(b"event: a\n\n").is_empty());
        let got = p.feed(b"data: z\n\n");
        assert_eq!(got[0].kind, "message");
    }
}
