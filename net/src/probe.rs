//! The STARTTLS probe of one MX host (RFC 8461 §4.2, §5): greeting,
//! `EHLO`, `STARTTLS`, the TLS handshake, and the facts of the presented
//! chain, within one time budget.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use mta_sts::audit::{DnsAnswer, MxProbe, ProbeResult, Stage};
use rustls::pki_types::ServerName;
use tokio::io::{AsyncBufRead, AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;
use tokio_rustls::TlsConnector;

use crate::Config;
use crate::cert::{Check, Seen, client_config};
use crate::dns::Dns;
use crate::smtp::{MAX_LINE, Reply, ReplyLines};

/// Probes `host` on `config.smtp_port`, judging its chain at `now`.
pub(crate) async fn probe(host: &str, dns: &Dns, config: &Config, now: u64) -> MxProbe {
    let mut stage = Stage::Resolve;
    let result = match tokio::time::timeout(
        config.probe_timeout,
        run(host, dns, config, now, &mut stage),
    )
    .await
    {
        Ok(Ok(result)) => result,
        Ok(Err(reason)) => ProbeResult::Failed { stage, reason },
        Err(_) => ProbeResult::Failed {
            stage,
            reason: format!(
                "no answer within the probe's budget of {} ms",
                config.probe_timeout.as_millis()
            ),
        },
    };
    MxProbe {
        host: host.to_owned(),
        result,
    }
}

/// The probe's steps; `stage` says how far it got when it fails or runs
/// out of time.
async fn run(
    host: &str,
    dns: &Dns,
    config: &Config,
    now: u64,
    stage: &mut Stage,
) -> Result<ProbeResult, String> {
    let name = host.trim_end_matches('.');
    let addresses = match dns.addresses(name).await {
        DnsAnswer::Records(addresses) if !addresses.is_empty() => addresses,
        DnsAnswer::Records(_) => return Err(format!("{name} has no A or AAAA record")),
        DnsAnswer::NxDomain => return Err(format!("{name} does not exist (NXDOMAIN)")),
        DnsAnswer::Failed(reason) => return Err(reason),
    };

    *stage = Stage::Connect;
    let stream = connect(&addresses, config.smtp_port).await?;
    let mut reader = BufReader::new(stream);

    *stage = Stage::Greeting;
    let greeting = read_reply(&mut reader).await?;
    if greeting.code() != 220 {
        return Err(format!("the greeting was \"{greeting}\", not 220"));
    }

    *stage = Stage::Ehlo;
    command(&mut reader, &format!("EHLO {}", config.ehlo_name)).await?;
    let ehlo = read_reply(&mut reader).await?;
    if ehlo.code() != 250 {
        return Err(format!("EHLO was answered \"{ehlo}\", not 250"));
    }
    if !ehlo.has_extension("STARTTLS") {
        let _ = command(&mut reader, "QUIT").await;
        return Ok(ProbeResult::NoStartTls);
    }

    *stage = Stage::StartTls;
    command(&mut reader, "STARTTLS").await?;
    let ready = read_reply(&mut reader).await?;
    if ready.code() != 220 {
        return Err(format!("STARTTLS was answered \"{ready}\", not 220"));
    }
    if !reader.buffer().is_empty() {
        // Bytes before the handshake would be read as if sent over TLS
        // (the STARTTLS command injection of CVE-2011-0411).
        return Err("the server sent data after its STARTTLS reply".to_owned());
    }

    *stage = Stage::Handshake;
    let seen = Seen::default();
    let tls = client_config(&config.roots, Check::Record, seen.clone(), &[])
        .map_err(|err| format!("cannot set up TLS: {err}"))?;
    let server_name = ServerName::try_from(name.to_owned())
        .map_err(|_| format!("{name:?} is not a valid TLS server name"))?;
    let mut tls_stream = TlsConnector::from(Arc::new(tls))
        .connect(server_name, reader.into_inner())
        .await
        .map_err(|err| format!("TLS handshake failed: {err}"))?;
    let certificate = seen
        .facts(&config.roots, now)
        .ok_or_else(|| "the handshake completed without a certificate".to_owned())?;
    let _ = tls_stream.write_all(b"QUIT\r\n").await;
    let _ = tls_stream.shutdown().await;
    Ok(ProbeResult::Tls(certificate))
}

/// A TCP connection to the first address that accepts one.
async fn connect(addresses: &[IpAddr], port: u16) -> Result<TcpStream, String> {
    let mut last = String::new();
    for &address in addresses {
        match TcpStream::connect(SocketAddr::new(address, port)).await {
            Ok(stream) => return Ok(stream),
            Err(err) => last = format!("cannot connect to {address} port {port}: {err}"),
        }
    }
    Err(last)
}

async fn command(reader: &mut BufReader<TcpStream>, line: &str) -> Result<(), String> {
    let stream = reader.get_mut();
    stream
        .write_all(format!("{line}\r\n").as_bytes())
        .await
        .map_err(|err| format!("cannot send {line:?}: {err}"))
}

/// Reads one reply, each line bounded by [`MAX_LINE`] and the reply by
/// [`MAX_LINES`](crate::smtp::MAX_LINES).
async fn read_reply<R: AsyncBufRead + Unpin>(reader: &mut R) -> Result<Reply, String> {
    let mut lines = ReplyLines::default();
    let mut line = Vec::with_capacity(128);
    loop {
        line.clear();
        let limit = u64::try_from(MAX_LINE).unwrap_or(u64::MAX);
        let read = (&mut *reader)
            .take(limit)
            .read_until(b'\n', &mut line)
            .await
            .map_err(|err| format!("cannot read the reply: {err}"))?;
        if read == 0 {
            return Err("the server closed the connection".to_owned());
        }
        let Some(text) = line.strip_suffix(b"\n") else {
            return Err(if read >= MAX_LINE {
                format!("a reply line is longer than {MAX_LINE} bytes")
            } else {
                "the server closed the connection in the middle of a line".to_owned()
            });
        };
        let text = text.strip_suffix(b"\r").unwrap_or(text);
        if let Some(reply) = lines.push(text).map_err(|err| err.to_string())? {
            return Ok(reply);
        }
    }
}
