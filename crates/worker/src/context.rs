//! What a worker's loops and job tasks share: its identity, configuration and connections, and
//! the vocabulary of how a job ends and how the process stops.

use std::sync::atomic::AtomicI32;

use hivesync_core::WorkerType;
use hivesync_core::config::Config;
use hivesync_core::ids::WorkerId;
use hivesync_objects::Objects;
use hivesync_store::Store;
use tokio::sync::watch;

use crate::backend;

/// A stop signal shared by every loop of a process: `true` means stop claiming and return.
pub type Shutdown = watch::Receiver<bool>;

/// How a job ended on this worker.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JobOutcome {
    /// Results stored and accepted by the backend.
    Succeeded,
    /// Failed with a reason (sent to the backend when it could be reached).
    Failed,
    /// The lease was lost; the backend already failed the job.
    Abandoned,
}

/// What the job tasks share.
pub(crate) struct Ctx {
    pub id: WorkerId,
    pub worker_type: WorkerType,
    pub config: Config,
    pub store: Store,
    pub objects: Objects,
    pub backend: backend::Backend,
    pub running: AtomicI32,
    pub log: crate::worker_log::WorkerLog,
    pub providers: crate::ai_docs::Providers,
}
