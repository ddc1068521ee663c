//! A server answer the protocol does not allow is [`SyncError::BadResponse`] with a typed cause
//! (issue 16 item 2), and no text the answer carried reaches the error's message, debug form
//! or source chain (serde quotes what it fails on; a pulled page carries records). The server
//! is a real HTTP listener on 127.0.0.1 answering one canned response per connection, the way
//! a misconfigured proxy or a broken deployment would.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers may panic

mod store_support;

use safeshare_core::clock::Clock;
use safeshare_core::json_fault::JsonFault;
use safeshare_core::sync::client::{BadResponse, SeededJitter, SyncClient, SyncConfig, SyncError};
use std::io::{Read, Write};
use std::net::TcpListener;
use std::sync::Arc;
use store_support::{contains, every_text, Fixture};

/// What a record's text looks like when a broken server echoes it back.
const RECORD_TEXT: &str = "Amani said her dad shouts at night";

/// Serves `status` with `body` to every connection until the test ends; returns the base URL.
fn canned_server(status: &'static str, body: String) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { return };
            // Read the request head and its body (enrolment bodies are small: one read of
            // each is enough for a loopback socket; the content is not needed).
            let mut request = Vec::new();
            let mut buf = [0u8; 4096];
            while !contains(&request, b"\r\n\r\n") {
                match stream.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => request.extend_from_slice(&buf[..n]),
                }
            }
            let answer = format!(
                "HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\
                 connection: close\r\n\r\n{body}",
                body.len()
            );
            let _ = stream.write_all(answer.as_bytes());
        }
    });
    url
}

/// Enrols a fresh store against `url` and returns the error.
fn enrol_against(url: String) -> SyncError {
    let fixture = Fixture::new();
    let store = fixture.open();
    let client = SyncClient::new(
        SyncConfig::new(url),
        fixture.clock.clone() as Arc<dyn Clock>,
        Arc::new(SeededJitter::new(7)),
    )
    .unwrap();
    client
        .enrol(&store, &fixture.secrets(), "ABCD-EFGH-JKLM")
        .map(|_| ())
        .unwrap_err()
}

#[test]
fn a_success_body_of_the_wrong_shape_is_undecodable_and_quotes_nothing_it_held() {
    let body = serde_json::to_string(RECORD_TEXT).unwrap();
    // serde_json's own message for this answer quotes the record text: the danger tested here.
    let serde_says = serde_json::from_str::<safeshare_core::sync::DeviceInfo>(&body)
        .unwrap_err()
        .to_string();
    assert!(serde_says.contains("dad shouts"), "{serde_says}");

    let err = enrol_against(canned_server("200 OK", body));
    assert!(
        matches!(
            err,
            SyncError::BadResponse(BadResponse::Undecodable(JsonFault {
                category: serde_json::error::Category::Data,
                ..
            }))
        ),
        "{err:?}"
    );
    assert_eq!(err.code(), "bad_response");
    assert!(err.is_transient(), "a bad answer is retried, as before");
    let text = every_text(&err);
    assert!(!text.contains("dad shouts"), "{text}");
    assert!(!text.contains("Amani"), "{text}");
}

#[test]
fn an_error_status_without_the_protocols_error_body_names_the_status_only() {
    let body = format!("<html><body>upstream said: {RECORD_TEXT}</body></html>");
    let err = enrol_against(canned_server("502 Bad Gateway", body));
    assert!(
        matches!(
            err,
            SyncError::BadResponse(BadResponse::NoErrorBody { status: 502 })
        ),
        "{err:?}"
    );
    let text = every_text(&err);
    assert!(text.contains("502"), "{text}");
    assert!(!text.contains("Amani"), "{text}");
}
