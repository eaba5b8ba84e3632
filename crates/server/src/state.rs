//! What every request handler can reach: the configuration, the secrets, the database, the
//! object store and this replica's live event feed.

use std::sync::Arc;

use hivesync_core::config::{Config, Secrets, TokenKey};
use hivesync_objects::Objects;
use hivesync_store::Store;
use hivesync_store::events::Event;
use tokio::sync::broadcast;

/// What every request handler can reach. Cheap to clone.
#[derive(Clone)]
pub struct AppState {
    inner: Arc<Inner>,
}

struct Inner {
    config: Config,
    secrets: Secrets,
    store: Store,
    objects: Objects,
    events: broadcast::Sender<Arc<Event>>,
    metrics: crate::metrics::Metrics,
    /// The local model's tokenizer, read from its GGUF on first use.
    #[cfg(feature = "local-model")]
    local_tokenizer: std::sync::OnceLock<Result<Arc<hivesync_llm::GgufTokenizer>, String>>,
}

impl AppState {
    /// Bundles the configuration and the connections.
    pub fn new(config: Config, secrets: Secrets, store: Store, objects: Objects) -> Self {
        let (events, _) = broadcast::channel(1024);
        Self {
            inner: Arc::new(Inner {
                config,
                secrets,
                store,
                objects,
                events,
                metrics: Default::default(),
                #[cfg(feature = "local-model")]
                local_tokenizer: std::sync::OnceLock::new(),
            }),
        }
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.inner.config
    }

    /// The secrets.
    pub fn secrets(&self) -> &Secrets {
        &self.inner.secrets
    }

    /// The database.
    pub fn store(&self) -> &Store {
        &self.inner.store
    }

    /// The object store.
    pub fn objects(&self) -> &Objects {
        &self.inner.objects
    }

    /// Live events of this process's pump (see [`crate::maintenance::spawn_background`]).
    pub fn event_feed(&self) -> &broadcast::Sender<Arc<Event>> {
        &self.inner.events
    }

    /// This replica's metrics.
    pub fn metrics(&self) -> &crate::metrics::Metrics {
        &self.inner.metrics
    }

    /// The health policy of the configuration.
    pub fn health_policy(&self) -> hivesync_store::health::HealthPolicy {
        let c = self.config();
        hivesync_store::health::HealthPolicy {
            heartbeat_timeout_ms: c.routing.heartbeat_timeout_seconds as i64 * 1000,
            error_window_jobs: c.health.error_window_jobs,
            error_window_ms: c.health.error_window_seconds as i64 * 1000,
            error_rate_threshold: c.health.error_rate_threshold,
            error_min_jobs: c.health.error_min_jobs,
        }
    }

    /// The preview-token keys held: the signing key first, then the previous one.
    /// The tokenizer of `ai_docs.local_model_path` (loaded once; an error is remembered).
    #[cfg(feature = "local-model")]
    pub fn local_tokenizer(&self) -> Result<Arc<hivesync_llm::GgufTokenizer>, String> {
        self.inner
            .local_tokenizer
            .get_or_init(|| {
                let path = std::path::Path::new(&self.inner.config.ai_docs.local_model_path);
                hivesync_llm::GgufTokenizer::load(path)
                    .map(Arc::new)
                    .map_err(|e| e.to_string())
            })
            .clone()
    }

    pub fn token_keys(&self) -> Vec<&TokenKey> {
        let s = self.secrets();
        s.preview_token_key
            .iter()
            .chain(s.preview_token_previous_key.iter())
            .collect()
    }
}

/// The current time in Unix seconds.
pub(crate) fn now_secs() -> i64 {
    hivesync_core::clock::now_ms() / 1000
}
