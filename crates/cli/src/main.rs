//! `hivesync`: one binary for every process of the system.
//!
//! - `dev`: backend + two embedded workers, SQLite + local object store under `./.hivesync/`,
//!   no configuration needed.
//! - `serve`: the backend (PostgreSQL + S3/R2). `worker`: one worker process. `migrate`: apply
//!   schema migrations and exit. `preview`: the compiler offline. `admin`: the admin API
//!   (workers, jobs, events, users, projects, keys) from a terminal. `submit`: a preview or AI
//!   documentation job from a terminal, an editor or CI. `account`: a deployment's first user,
//!   project and API key, written into the database.
//!
//! Logs go to stderr (`RUST_LOG` filters them); an error ends the process with one clear line
//! and a non-zero status.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod account;
mod admin;
mod api_client;
mod dev;
mod explain;
mod preview;
mod runtime;
mod submit;

/// HiveSync: React Native sandbox previews and AI documentation.
#[derive(Parser, Debug)]
#[command(name = "hivesync", version, about, propagate_version = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Run everything on this machine: backend + 2 workers, SQLite, local object store.
    Dev(dev::DevArgs),
    /// Run the backend (HTTP API) against the configured database and object store.
    Serve(runtime::ServeArgs),
    /// Run one worker process.
    Worker(runtime::WorkerArgs),
    /// Apply database migrations and exit.
    Migrate(runtime::MigrateArgs),
    /// Print the callback key of one worker (derived from WORKER_CALLBACK_SECRET).
    WorkerKey(runtime::WorkerKeyArgs),
    /// Compile React Native screens to Layout JSON without any server.
    Preview(preview::PreviewArgs),
    /// Admin actions against a running backend: workers, jobs, events.
    Admin(admin::AdminArgs),
    /// Submit a preview or AI documentation job to a backend, wait, print the result.
    Submit(submit::SubmitArgs),
    /// Create a user, project and API key in the configured database.
    Account(account::AccountArgs),
}

/// mimalloc instead of the system allocator: the compiler (run by the worker) allocates many
/// small short-lived objects, where glibc's malloc costs it about a fifth of its time and page
/// faults from heap trimming (`docs/benchmarks.md`). oxc's own tools make the same choice.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    runtime::init_logging();
    hivesync_objects::install_tls_provider();
    let result = match cli.command {
        Command::Preview(args) => preview::run(&args),
        Command::Dev(args) => runtime::block_on(dev::run(args)),
        Command::Serve(args) => runtime::block_on(runtime::serve(args)),
        Command::Worker(args) => runtime::block_on(runtime::worker(args)),
        Command::Migrate(args) => runtime::block_on(runtime::migrate(args)),
        Command::WorkerKey(args) => runtime::worker_key(&args),
        Command::Admin(args) => runtime::block_on(admin::run(args)),
        Command::Submit(args) => runtime::block_on(submit::run(args)),
        Command::Account(args) => runtime::block_on(account::run(args)),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            // One line: the chain joined, never a backtrace.
            let msg = e
                .chain()
                .map(|c| c.to_string())
                .collect::<Vec<_>>()
                .join(": ");
            eprintln!("hivesync: error: {msg}");
            ExitCode::FAILURE
        }
    }
}
