//! HiveSync's object storage: every artifact (layouts, snapshot PNGs, AI docs, logs) lives
//! here, addressed only by typed [`StorageKey`]s.
//!
//! One [`Objects`] serves three backends over the `object_store` crate: a local folder (the
//! `hivesync dev` default), memory (unit tests) and S3-compatible services (Cloudflare R2 in
//! production; s3s-fs in the integration tests). The S3 client makes no retries of its own:
//! the worker's "one retry" rule is the only retry, so it means what it says.
//!
//! Not here: deciding what to store (the worker) or who may read it (the server).

use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use hivesync_core::Secret;
use hivesync_core::config::{ObjectStoreBackend, ObjectStoreConfig};
use hivesync_core::storage_keys::StorageKey;
use object_store::aws::{AmazonS3, AmazonS3Builder};
use object_store::memory::InMemory;
use object_store::path::Path;
use object_store::signer::Signer;
use object_store::{
    ClientOptions, ObjectStore, ObjectStoreExt, PutMode, PutOptions, PutPayload, RetryConfig,
};

/// An object-storage failure a caller can act on. Messages carry no credentials.
#[derive(Debug, thiserror::Error)]
pub enum ObjectsError {
    /// No object at that key.
    #[error("object not found: {0}")]
    NotFound(String),
    /// `put_new` found an object already there.
    #[error("object already exists: {0}")]
    AlreadyExists(String),
    /// The store did not answer or answered with an error (retrying may help).
    #[error("object store unavailable: {0}")]
    Unavailable(String),
    /// The configuration cannot describe a working store.
    #[error("object store configuration: {0}")]
    Config(String),
}

/// Result of object-storage operations.
pub type Result<T, E = ObjectsError> = std::result::Result<T, E>;

fn map_err(key: &str, e: object_store::Error) -> ObjectsError {
    match e {
        object_store::Error::NotFound { .. } => ObjectsError::NotFound(key.to_owned()),
        object_store::Error::AlreadyExists { .. } => ObjectsError::AlreadyExists(key.to_owned()),
        other => ObjectsError::Unavailable(other.to_string()),
    }
}

/// S3-compatible settings (R2: endpoint `https://<account>.r2.cloudflarestorage.com`, region
/// `auto`, path style).
#[derive(Debug, Clone)]
pub struct S3Settings {
    /// Endpoint URL; empty for AWS's default.
    pub endpoint: String,
    /// Region (`auto` for R2).
    pub region: String,
    /// Bucket.
    pub bucket: String,
    /// Access key id.
    pub access_key_id: Secret,
    /// Secret access key.
    pub secret_access_key: Secret,
    /// `endpoint/bucket/key` addressing instead of `bucket.endpoint/key`.
    pub path_style: bool,
    /// Accept plain `http://` (local test servers only).
    pub allow_http: bool,
    /// Per-request timeout.
    pub timeout: Duration,
}

/// Makes rustls's ring provider the process default when none is installed yet (reqwest is
/// built without a provider of its own, see the workspace Cargo.toml). Idempotent.
pub fn install_tls_provider() {
    let _ = rustls::crypto::ring::default_provider().install_default();
}

/// The object store. Cheap to clone.
#[derive(Clone, Debug)]
pub struct Objects {
    store: Arc<dyn ObjectStore>,
    s3: Option<Arc<AmazonS3>>,
    backend: ObjectStoreBackend,
    #[cfg(feature = "faults")]
    failing_puts: Arc<std::sync::atomic::AtomicUsize>,
}

impl Objects {
    /// Builds the store the configuration names. S3 credentials come from the secrets.
    pub fn from_config(
        config: &ObjectStoreConfig,
        access_key_id: Option<&Secret>,
        secret_access_key: Option<&Secret>,
    ) -> Result<Self> {
        match config.backend {
            ObjectStoreBackend::Memory => Ok(Self::memory()),
            ObjectStoreBackend::Local => Self::local(std::path::Path::new(&config.local_path)),
            ObjectStoreBackend::S3 => {
                let missing = |name: &str| {
                    ObjectsError::Config(format!("backend s3 needs the secret {name}"))
                };
                Self::s3(&S3Settings {
                    endpoint: config.s3_endpoint.clone(),
                    region: config.s3_region.clone(),
                    bucket: config.s3_bucket.clone(),
                    access_key_id: access_key_id
                        .cloned()
                        .ok_or_else(|| missing("HIVESYNC_S3_ACCESS_KEY_ID"))?,
                    secret_access_key: secret_access_key
                        .cloned()
                        .ok_or_else(|| missing("HIVESYNC_S3_SECRET_ACCESS_KEY"))?,
                    path_style: config.s3_path_style,
                    allow_http: config.s3_allow_http,
                    timeout: Duration::from_secs(config.request_timeout_seconds),
                })
            }
        }
    }

    /// A store in process memory (tests).
    pub fn memory() -> Self {
        Self::wrap(Arc::new(InMemory::new()), None, ObjectStoreBackend::Memory)
    }

    /// A store in a local folder, created when missing.
    pub fn local(root: &std::path::Path) -> Result<Self> {
        std::fs::create_dir_all(root)
            .map_err(|e| ObjectsError::Config(format!("cannot create {}: {e}", root.display())))?;
        let fs = object_store::local::LocalFileSystem::new_with_prefix(root)
            .map_err(|e| ObjectsError::Config(e.to_string()))?;
        Ok(Self::wrap(Arc::new(fs), None, ObjectStoreBackend::Local))
    }

    /// An S3-compatible store.
    pub fn s3(s: &S3Settings) -> Result<Self> {
        if s.bucket.is_empty() {
            return Err(ObjectsError::Config("backend s3 needs a bucket".into()));
        }
        install_tls_provider();
        // allow_http must be set inside ClientOptions: a later with_client_options would
        // otherwise replace a builder-level setting.
        let client = ClientOptions::new()
            .with_allow_http(s.allow_http)
            .with_timeout(s.timeout)
            .with_connect_timeout(Duration::from_secs(5));
        let retry = RetryConfig {
            max_retries: 0,
            ..RetryConfig::default()
        };
        let mut builder = AmazonS3Builder::new()
            .with_region(&s.region)
            .with_bucket_name(&s.bucket)
            .with_access_key_id(s.access_key_id.expose())
            .with_secret_access_key(s.secret_access_key.expose())
            .with_virtual_hosted_style_request(!s.path_style)
            .with_client_options(client)
            .with_retry(retry);
        if !s.endpoint.is_empty() {
            builder = builder.with_endpoint(&s.endpoint);
        }
        let s3 = Arc::new(
            builder
                .build()
                .map_err(|e| ObjectsError::Config(e.to_string()))?,
        );
        Ok(Self::wrap(s3.clone(), Some(s3), ObjectStoreBackend::S3))
    }

    fn wrap(
        store: Arc<dyn ObjectStore>,
        s3: Option<Arc<AmazonS3>>,
        backend: ObjectStoreBackend,
    ) -> Self {
        Self {
            store,
            s3,
            backend,
            #[cfg(feature = "faults")]
            failing_puts: Default::default(),
        }
    }

    /// Makes the next `n` writes fail as if the store were unavailable (tests of retry rules).
    #[cfg(feature = "faults")]
    pub fn fail_next_puts(&self, n: usize) {
        self.failing_puts
            .store(n, std::sync::atomic::Ordering::SeqCst);
    }

    fn injected_failure(&self) -> Result<()> {
        #[cfg(feature = "faults")]
        {
            use std::sync::atomic::Ordering;
            if self
                .failing_puts
                .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
                .is_ok()
            {
                return Err(ObjectsError::Unavailable("injected failure".into()));
            }
        }
        Ok(())
    }

    /// Which backend this is.
    pub fn backend(&self) -> ObjectStoreBackend {
        self.backend
    }

    /// Writes (or overwrites) an object.
    pub async fn put(&self, key: &StorageKey, bytes: Bytes) -> Result<()> {
        self.injected_failure()?;
        let path = Path::from(key.as_path());
        self.store
            .put_opts(
                &path,
                PutPayload::from(bytes),
                self.put_options(key, PutMode::Overwrite),
            )
            .await
            .map_err(|e| map_err(&key.as_path(), e))?;
        Ok(())
    }

    /// Options of a write in `mode`: on S3/R2 the object's `Content-Type` from its key, so a
    /// presigned or public URL serves it with its type (the local folder keeps no metadata).
    fn put_options(&self, key: &StorageKey, mode: PutMode) -> PutOptions {
        let mut opts = PutOptions {
            mode,
            ..PutOptions::default()
        };
        if self.s3.is_some() {
            opts.attributes.insert(
                object_store::Attribute::ContentType,
                key.content_type().into(),
            );
        }
        opts
    }

    /// Writes an object only if none exists at the key (`If-None-Match: *` on S3/R2);
    /// [`ObjectsError::AlreadyExists`] otherwise.
    pub async fn put_new(&self, key: &StorageKey, bytes: Bytes) -> Result<()> {
        self.injected_failure()?;
        let path = Path::from(key.as_path());
        self.store
            .put_opts(
                &path,
                PutPayload::from(bytes),
                self.put_options(key, PutMode::Create),
            )
            .await
            .map_err(|e| map_err(&key.as_path(), e))?;
        Ok(())
    }

    /// The keys under `prefix` (a folder of the bucket's layout, e.g.
    /// `logs/preview/{session_id}/`), in no particular order; keys outside the layout are
    /// skipped.
    pub async fn list(&self, prefix: &str) -> Result<Vec<StorageKey>> {
        use futures::TryStreamExt;
        let path = Path::from(prefix.trim_end_matches('/'));
        let metas: Vec<object_store::ObjectMeta> = self
            .store
            .list(Some(&path))
            .try_collect()
            .await
            .map_err(|e| map_err(prefix, e))?;
        Ok(metas
            .iter()
            .filter_map(|m| StorageKey::parse(m.location.as_ref()).ok())
            .collect())
    }

    /// Reads a whole object.
    pub async fn get(&self, key: &StorageKey) -> Result<Bytes> {
        let path = Path::from(key.as_path());
        let got = self
            .store
            .get(&path)
            .await
            .map_err(|e| map_err(&key.as_path(), e))?;
        got.bytes().await.map_err(|e| map_err(&key.as_path(), e))
    }

    /// Opens an object for streaming: its size and a stream of chunks.
    pub async fn get_stream(
        &self,
        key: &StorageKey,
    ) -> Result<(u64, futures::stream::BoxStream<'static, Result<Bytes>>)> {
        use futures::stream::StreamExt;
        let path = Path::from(key.as_path());
        let name = key.as_path();
        let got = self.store.get(&path).await.map_err(|e| map_err(&name, e))?;
        let size = got.meta.size;
        let stream = got
            .into_stream()
            .map(move |chunk| chunk.map_err(|e| map_err(&name, e)))
            .boxed();
        Ok((size, stream))
    }

    /// Whether an object exists.
    pub async fn exists(&self, key: &StorageKey) -> Result<bool> {
        match self.store.head(&Path::from(key.as_path())).await {
            Ok(_) => Ok(true),
            Err(object_store::Error::NotFound { .. }) => Ok(false),
            Err(e) => Err(map_err(&key.as_path(), e)),
        }
    }

    /// Deletes an object (no error when it is already gone).
    pub async fn delete(&self, key: &StorageKey) -> Result<()> {
        match self.store.delete(&Path::from(key.as_path())).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(e) => Err(map_err(&key.as_path(), e)),
        }
    }

    /// A short-lived presigned GET URL on S3/R2; `None` for local and memory stores (the
    /// server streams those itself).
    pub async fn presigned_get(&self, key: &StorageKey, ttl: Duration) -> Result<Option<String>> {
        let Some(s3) = &self.s3 else { return Ok(None) };
        let url = s3
            .signed_url(
                object_store::signer::Method::GET,
                &Path::from(key.as_path()),
                ttl,
            )
            .await
            .map_err(|e| map_err(&key.as_path(), e))?;
        Ok(Some(url.to_string()))
    }

    /// Answers when the store answers (a HEAD of a key that need not exist).
    pub async fn ping(&self) -> Result<()> {
        match self.store.head(&Path::from("readyz-probe")).await {
            Ok(_) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(e) => Err(ObjectsError::Unavailable(e.to_string())),
        }
    }
}
