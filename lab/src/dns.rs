//! The lab's authoritative DNS server (hickory-server) for the `test.`
//! zone, whose records the tests change while it runs; and a server that
//! never answers.

use std::collections::HashMap;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use hickory_server::Server;
use hickory_server::net::runtime::Time;
use hickory_server::proto::op::{Header, HeaderCounts, Metadata, ResponseCode};
use hickory_server::proto::rr::rdata::{A, MX, TXT};
use hickory_server::proto::rr::{Name, RData, Record, RecordType};
use hickory_server::server::{Request, RequestHandler, ResponseHandler, ResponseInfo};
use hickory_server::zone_handler::MessageResponseBuilder;
use tokio::net::{TcpListener, UdpSocket};

/// The zone: records by owner name (lowercase, no trailing dot) and type.
#[derive(Debug, Default)]
pub struct Zone(Mutex<HashMap<(String, RecordType), Vec<RData>>>);

impl Zone {
    fn set(&self, name: &str, kind: RecordType, records: Vec<RData>) {
        let key = (name.to_ascii_lowercase(), kind);
        let mut zone = self.0.lock().expect("zone");
        if records.is_empty() {
            zone.remove(&key);
        } else {
            zone.insert(key, records);
        }
    }

    /// Replaces the TXT records of `name`, one string each (none removes
    /// them).
    pub fn set_txt(&self, name: &str, records: &[&str]) {
        let records = records
            .iter()
            .map(|&text| RData::TXT(TXT::new(vec![text.to_owned()])))
            .collect();
        self.set(name, RecordType::TXT, records);
    }

    /// `count` TXT records at `name`.
    pub fn set_many_txt(&self, name: &str, count: usize) {
        let records = (0..count)
            .map(|index| RData::TXT(TXT::new(vec![format!("record {index}")])))
            .collect();
        self.set(name, RecordType::TXT, records);
    }

    /// Replaces the A record of `name` with `address`.
    pub fn set_a(&self, name: &str, address: Ipv4Addr) {
        self.set(name, RecordType::A, vec![RData::A(A(address))]);
    }

    /// Replaces the MX records of `name`: (preference, exchange) each
    /// (none removes them).
    pub fn set_mx(&self, name: &str, records: &[(u16, &str)]) {
        let records = records
            .iter()
            .map(|&(preference, exchange)| {
                let exchange = Name::from_ascii(exchange).expect("MX exchange");
                RData::MX(MX::new(preference, exchange))
            })
            .collect();
        self.set(name, RecordType::MX, records);
    }

    /// The answer to a question: records, `NODATA` or `NXDOMAIN`.
    fn answer(&self, name: &str, kind: RecordType) -> Result<Vec<RData>, ResponseCode> {
        let zone = self.0.lock().expect("zone");
        if let Some(records) = zone.get(&(name.to_owned(), kind)) {
            return Ok(records.clone());
        }
        if zone.keys().any(|(owner, _)| owner == name) {
            Ok(Vec::new())
        } else {
            Err(ResponseCode::NXDomain)
        }
    }
}

/// Answers from the [`Zone`], authoritatively, TTL 0.
struct Authority(Arc<Zone>);

#[async_trait::async_trait]
impl RequestHandler for Authority {
    async fn handle_request<R: ResponseHandler, T: Time>(
        &self,
        request: &Request,
        mut response_handle: R,
    ) -> ResponseInfo {
        let mut metadata = Metadata::response_from_request(&request.metadata);
        metadata.authoritative = true;
        let mut answers = Vec::new();
        if let Ok(info) = request.request_info() {
            let owner = info.query.original().name().clone();
            let name = owner.to_ascii().trim_end_matches('.').to_ascii_lowercase();
            match self.0.answer(&name, info.query.query_type()) {
                Ok(records) => {
                    answers = records
                        .into_iter()
                        .map(|rdata| Record::from_rdata(owner.clone(), 0, rdata))
                        .collect();
                }
                Err(code) => metadata.response_code = code,
            }
        } else {
            metadata.response_code = ResponseCode::FormErr;
        }
        let mut failed = metadata;
        failed.response_code = ResponseCode::ServFail;
        let response = MessageResponseBuilder::from_message_request(request).build(
            metadata,
            answers.iter(),
            [],
            [],
            [],
        );
        match response_handle.send_response(response).await {
            Ok(info) => info,
            Err(_) => ResponseInfo::from(Header {
                metadata: failed,
                counts: HeaderCounts::default(),
            }),
        }
    }
}

/// Starts the authoritative server on 127.0.0.1 (UDP and TCP, one port).
pub async fn start(zone: Arc<Zone>) -> SocketAddr {
    loop {
        let udp = UdpSocket::bind("127.0.0.1:0")
            .await
            .expect("DNS UDP socket");
        let address = udp.local_addr().expect("DNS address");
        let Ok(tcp) = TcpListener::bind(address).await else {
            continue;
        };
        let mut server = Server::new(Authority(Arc::clone(&zone)));
        server.register_socket(udp);
        server.register_listener(tcp, Duration::from_secs(5), 65_535);
        tokio::spawn(async move {
            let _ = server.block_until_done().await;
        });
        return address;
    }
}

/// Starts the authoritative server on `address` (UDP and TCP), for a
/// client that cannot be given a port, such as a resolver configured by
/// `resolv.conf`.
///
/// # Errors
///
/// When the address cannot be bound.
pub async fn start_at(zone: Arc<Zone>, address: SocketAddr) -> std::io::Result<()> {
    let udp = UdpSocket::bind(address).await?;
    let tcp = TcpListener::bind(address).await?;
    let mut server = Server::new(Authority(zone));
    server.register_socket(udp);
    server.register_listener(tcp, Duration::from_secs(5), 65_535);
    tokio::spawn(async move {
        let _ = server.block_until_done().await;
    });
    Ok(())
}

/// A DNS server that reads every question and never answers (UDP and TCP).
pub async fn start_silent() -> SocketAddr {
    loop {
        let udp = UdpSocket::bind("127.0.0.1:0")
            .await
            .expect("silent UDP socket");
        let address = udp.local_addr().expect("silent address");
        let Ok(tcp) = TcpListener::bind(address).await else {
            continue;
        };
        tokio::spawn(async move {
            let mut buffer = [0; 512];
            while udp.recv_from(&mut buffer).await.is_ok() {}
        });
        tokio::spawn(async move {
            let mut held = Vec::new();
            while let Ok((stream, _)) = tcp.accept().await {
                held.push(stream);
            }
        });
        return address;
    }
}
