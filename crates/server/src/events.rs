//! Client events over Server-Sent Events (`GET /api/v1/events`) and the pump that feeds them.
//!
//! Every event is a row of the `events` table first. Each replica runs one pump that reads new
//! rows when woken (PostgreSQL `LISTEN hivesync_events`, or in-process on SQLite; polling every
//! second as the fallback) and fans them out to its SSE clients, so an event raised on one
//! replica reaches clients of every other. A client reconnecting with `Last-Event-ID` first gets
//! every stored event after that id (kept `server.event_retention_seconds`), then live ones;
//! a client that falls behind the in-memory feed re-reads from the table, so nothing is lost.

use std::collections::{HashSet, VecDeque};
use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::{ConnectInfo, Query, State};
use axum::http::HeaderMap;
use axum::response::sse::{Event as SseEvent, KeepAlive, Sse};
use futures::Stream;
use hivesync_core::ids::{ApiKeyId, ProjectId};
use hivesync_store::events::Event;
use serde::Deserialize;
use tokio::sync::broadcast::error::RecvError;

use crate::api_error::ApiError;
use crate::auth::{self, Family};
use crate::state::AppState;

const BATCH: u32 = 500;

/// Reads new events when woken and fans them out to this replica's SSE clients (see
/// [`AppState::event_feed`]); runs until the process ends.
pub(crate) async fn pump(state: AppState) {
    let store = state.store().clone();
    let mut waiter = store.event_waiter().await;
    let mut last = loop {
        match store.last_event_id().await {
            Ok(id) => break id,
            Err(e) => {
                tracing::debug!("event pump waiting for the database: {e}");
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
        }
    };
    loop {
        match store.events_since(last, BATCH).await {
            Ok(events) => {
                let full = events.len() as u32 == BATCH;
                for e in events {
                    last = e.id;
                    let _ = state.event_feed().send(Arc::new(e));
                }
                if full {
                    continue;
                }
            }
            Err(e) => tracing::warn!("event pump cannot read events: {e}"),
        }
        waiter.wait(Duration::from_secs(1)).await;
    }
}

/// `?last_event_id=` for clients that cannot set the header (EventSource polyfills).
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct EventsQuery {
    /// Resume after this event id (as the `Last-Event-ID` header does).
    last_event_id: Option<i64>,
}

fn to_sse(e: &Event) -> SseEvent {
    SseEvent::default()
        .id(e.id.to_string())
        .event(e.kind.clone())
        .data(e.payload.clone())
}

/// How often an idle stream re-checks that its API key is still valid.
const REAUTH_IDLE: Duration = Duration::from_secs(5);

/// Where one SSE client stands.
struct Cursor {
    store: hivesync_store::Store,
    /// The API key that opened the stream: re-checked before every event it delivers and
    /// every [`REAUTH_IDLE`] while idle, so a revoked key or a removed member stops hearing.
    key: ApiKeyId,
    projects: Vec<ProjectId>,
    wanted: HashSet<String>,
    last: i64,
    backlog: VecDeque<Event>,
    /// The backlog was a full batch: read the table again once it drains.
    more: bool,
    feed: tokio::sync::broadcast::Receiver<Arc<Event>>,
}

impl Cursor {
    async fn refill(&mut self) {
        match self
            .store
            .events_after(&self.projects, self.last, BATCH)
            .await
        {
            Ok(events) => {
                self.more = events.len() as u32 == BATCH;
                self.backlog.extend(events);
            }
            Err(e) => {
                tracing::warn!("event stream cannot read the backlog: {e}");
                self.more = true;
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
        }
    }

    /// Whether `project`'s event may still be delivered: `None` ends the stream (the key was
    /// revoked, the user left every project, or authorisation cannot be checked).
    async fn allowed(&mut self, project: &str) -> Option<bool> {
        let id = ProjectId::parse(project).ok()?;
        match self.store.api_key_sees_project(self.key, id).await {
            Ok(Some(true)) => Some(true),
            Ok(Some(false)) => {
                self.wanted.remove(project);
                self.projects.retain(|p| *p != id);
                (!self.wanted.is_empty()).then_some(false)
            }
            Ok(None) => None,
            Err(e) => {
                tracing::warn!("event stream cannot re-check its key: {e}; closing it");
                None
            }
        }
    }

    async fn next(&mut self) -> Option<Event> {
        loop {
            if let Some(e) = self.backlog.pop_front() {
                if e.id > self.last {
                    self.last = e.id;
                    if self.wanted.contains(&e.project_id) && self.allowed(&e.project_id).await? {
                        return Some(e);
                    }
                }
                continue;
            }
            if self.more {
                self.refill().await;
                continue;
            }
            let received = tokio::select! {
                r = self.feed.recv() => r,
                _ = tokio::time::sleep(REAUTH_IDLE) => {
                    // (A stream of no project can deliver nothing: it needs no check.)
                    if let Some(any) = self.projects.first().map(ProjectId::to_string) {
                        self.allowed(&any).await?;
                    }
                    continue;
                }
            };
            match received {
                Ok(e) => {
                    if e.id > self.last && self.wanted.contains(&e.project_id) {
                        self.last = e.id;
                        if self.allowed(&e.project_id).await? {
                            return Some((*e).clone());
                        }
                    }
                }
                // Fell behind the in-memory feed: the table has everything.
                Err(RecvError::Lagged(_)) => self.more = true,
                Err(RecvError::Closed) => return None,
            }
        }
    }
}

/// The caller's projects' events as Server-Sent Events: `job.queued`, `job.running`,
/// `job.succeeded`, `job.failed` and the others of docs/client-integration.md, each with an
/// `id` to resume from (`Last-Event-ID`). Keep-alive comments every 15 s.
#[utoipa::path(
    get,
    path = "/events",
    tag = "events",
    params(
        EventsQuery,
        ("Last-Event-ID" = Option<i64>, Header, description = "Resume after this event id"),
    ),
    security(("api_key" = [])),
    responses(
        (status = 200, description = "An endless `text/event-stream`; each event's data is a JSON object", content_type = "text/event-stream", body = String),
        (status = 401, description = "Missing, unknown or revoked API key", body = crate::api_error::ErrorBody),
        (status = 503, description = "The database is down; see Retry-After", body = crate::api_error::ErrorBody),
    )
)]
pub async fn stream(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Query(query): Query<EventsQuery>,
    headers: HeaderMap,
) -> Result<Sse<impl Stream<Item = Result<SseEvent, Infallible>>>, ApiError> {
    let owner = auth::client(&state, &headers, Some(peer), Family::Jobs).await?;
    let projects = state.store().user_project_ids(owner.user.id).await?;
    let from_header = headers
        .get("last-event-id")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<i64>().ok());
    // Subscribe before reading where to start, so nothing falls between the two.
    let feed = state.event_feed().subscribe();
    let (last, more) = match from_header.or(query.last_event_id) {
        Some(id) => (id, true),
        None => (state.store().last_event_id().await?, false),
    };
    let cursor = Cursor {
        store: state.store().clone(),
        key: owner.key_id,
        wanted: projects.iter().map(ProjectId::to_string).collect(),
        projects,
        last,
        backlog: VecDeque::new(),
        more,
        feed,
    };
    let stream = futures::stream::unfold(cursor, |mut c| async move {
        let e = c.next().await?;
        Some((Ok(to_sse(&e)), c))
    });
    Ok(Sse::new(stream).keep_alive(KeepAlive::new().interval(Duration::from_secs(15))))
}
