//! The binary itself: --help, bad flags, and a real start that prints the URL.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_tsdb-server");

#[test]
fn help_lists_the_flags() {
    let out = Command::new(BIN).arg("--help").output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    for flag in [
        "--host",
        "--port",
        "--hosts",
        "--rate",
        "--replay",
        "--speed",
        "--static-root",
        "--root",
        "--buffer-seconds",
        "--client-queue",
        "--seed",
    ] {
        assert!(text.contains(flag), "--help lacks {flag}");
    }
}

#[test]
fn bad_flags_exit_with_status_2() {
    let out = Command::new(BIN).args(["--rate", "nope"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--rate"));
}

/// Start the real binary on a free port (PORT=0), read the URL it prints, ask /healthz.
#[test]
fn starts_prints_its_url_and_serves() {
    let child = Command::new(BIN)
        .args(["--hosts", "3", "--quiet"])
        .env("PORT", "0")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut child = KillOnDrop(child);
    let mut lines = BufReader::new(child.0.stdout.take().unwrap()).lines();
    let first = lines.next().expect("a line").unwrap();
    let url = first
        .split_whitespace()
        .find(|w| w.starts_with("http://"))
        .expect("URL printed")
        .to_string();
    let hostport = url.trim_start_matches("http://").trim_end_matches('/');
    assert!(hostport.starts_with("127.0.0.1:"));
    let mut s = TcpStream::connect(hostport).unwrap();
    s.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .unwrap();
    let mut resp = String::new();
    s.read_to_string(&mut resp).unwrap();
    drop(child);
    assert!(resp.starts_with("HTTP/1.1 200"), "{resp}");
    assert!(resp.ends_with("ok\n"));
}

/// Ends the server process however the test ends.
struct KillOnDrop(std::process::Child);

impl Drop for KillOnDrop {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}
