//! `operations-emulator`: a local stand-in for the long-running Operations
//! REST API of Route Optimization, for development and tests.
//!
//! ```text
//! operations-emulator [--port N] [--token T] [--mode full|google] [--seed] [--run-ms MS] [--quiet]
//! ```
//! The first line on stdout is `listening on http://127.0.0.1:PORT`.

mod api;
mod faults;
mod store;

use std::sync::Arc;

const USAGE: &str =
    "usage: operations-emulator [--port N] [--token T] [--mode full|google] [--seed] [--run-ms MS] [--quiet]
  --port N       port on 127.0.0.1 (0 picks a free one; default 8787)
  --token T      the bearer token accepted (default: local-dev-token)
  --mode M       full: cancel/get/list behave as documented (default)
                 google: answer as the public service does today
                 (cancel on operations/** is UNIMPLEMENTED, unknown paths get Google's HTML 404)
  --seed         start with a realistic mix of running, finished, failed and cancelled operations
  --run-ms MS    how long a new operation runs before it completes (default 120000)
  --quiet        do not log each request";

/// Settings read from the command line.
#[derive(Clone, Debug)]
pub struct Config {
    pub port: u16,
    pub token: String,
    pub google_mode: bool,
    pub seed: bool,
    pub run_ms: u64,
    pub quiet: bool,
}

fn parse_args(mut args: impl Iterator<Item = String>) -> Result<Config, String> {
    let mut config = Config {
        port: 8787,
        token: "local-dev-token".into(),
        google_mode: false,
        seed: false,
        run_ms: 120_000,
        quiet: false,
    };
    while let Some(arg) = args.next() {
        let mut value = |flag: &str| args.next().ok_or_else(|| format!("{flag} needs a value"));
        match arg.as_str() {
            "--port" => config.port = value("--port")?.parse().map_err(|_| "--port must be 0-65535")?,
            "--token" => config.token = value("--token")?,
            "--mode" => {
                config.google_mode = match value("--mode")?.as_str() {
                    "full" => false,
                    "google" => true,
                    other => return Err(format!("--mode must be full or google, not {other:?}")),
                }
            }
            "--run-ms" => config.run_ms = value("--run-ms")?.parse().map_err(|_| "--run-ms must be a number")?,
            "--seed" => config.seed = true,
            "--quiet" => config.quiet = true,
            "-h" | "--help" => return Err(String::new()),
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    if config.token.is_empty() {
        return Err("--token must not be empty".into());
    }
    Ok(config)
}

fn main() {
    let config = match parse_args(std::env::args().skip(1)) {
        Ok(config) => config,
        Err(message) => {
            if !message.is_empty() {
                eprintln!("operations-emulator: {message}");
            }
            eprintln!("{USAGE}");
            std::process::exit(2);
        }
    };
    let runtime = match tokio::runtime::Builder::new_current_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("operations-emulator: cannot start: {e}");
            std::process::exit(1);
        }
    };
    if let Err(e) = runtime.block_on(serve(config)) {
        eprintln!("operations-emulator: {e}");
        std::process::exit(1);
    }
}

async fn serve(config: Config) -> std::io::Result<()> {
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", config.port)).await?;
    let address = listener.local_addr()?;
    let app = Arc::new(api::App::new(config));
    // Tests and scripts wait for this line.
    println!("listening on http://{address}");
    for line in app.describe_operations() {
        println!("{line}");
    }
    let router = axum::Router::new().fallback(api::handle).with_state(app);
    axum::serve(listener, router).with_graceful_shutdown(shutdown()).await
}

async fn shutdown() {
    let ctrl_c = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut term = match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(term) => term,
            Err(_) => return ctrl_c.await.unwrap_or_default(),
        };
        tokio::select! {
            _ = ctrl_c => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    ctrl_c.await.unwrap_or_default();
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Config, String> {
        parse_args(args.iter().map(|s| s.to_string()))
    }

    #[test]
    fn arguments() {
        let c =
            parse(&["--port", "0", "--token", "t", "--mode", "google", "--seed", "--run-ms", "5", "--quiet"]).unwrap();
        assert_eq!((c.port, c.token.as_str(), c.google_mode, c.seed, c.run_ms, c.quiet), (0, "t", true, true, 5, true));
        assert!(parse(&["--port"]).is_err());
        assert!(parse(&["--port", "70000"]).is_err());
        assert!(parse(&["--mode", "other"]).is_err());
        assert!(parse(&["--token", ""]).is_err());
        assert!(parse(&["--bogus"]).is_err());
    }
}
