import Foundation
import Testing
import TrainingCore
import TrainingDatasets
import TrainingTesting

/// Dataset links may reach public unicast addresses only: every IANA special-purpose range is
/// refused, those that embed, translate or tunnel to other addresses included. Pricing a link
/// contacts nobody.
@Suite("Dataset link addresses")
struct LinkAddressTests {
    /// A link and the words its refusal must contain.
    static let refused: [(String, String)] = [
        ("http://127.0.0.1/d.zip", "(loopback)"),
        ("http://127.1/d.zip", "(loopback)"),
        ("http://0x7f000001/d.zip", "(loopback)"),
        ("http://localhost:8080/d.zip", "is loopback"),
        ("http://0.0.0.0/d.zip", "(this network)"),
        ("http://10.1.2.3/d.zip", "(private)"),
        ("http://172.16.0.1/d.zip", "(private)"),
        ("http://192.168.1.1/d.zip", "(private)"),
        ("http://169.254.169.254/latest/meta-data/", "(link-local)"),
        ("http://100.64.0.1/d.zip", "(shared address space)"),
        ("http://192.0.0.1/d.zip", "(IPv4 service continuity prefix (DS-Lite))"),
        ("http://192.0.0.170/d.zip", "(NAT64/DNS64 discovery)"),
        ("http://192.0.0.9/d.zip", "(IETF protocol assignments)"),
        ("http://192.0.2.1/d.zip", "(documentation)"),
        ("http://192.31.196.1/d.zip", "(AS112 DNS sink)"),
        ("http://192.52.193.1/d.zip", "(automatic multicast tunneling)"),
        ("http://192.88.99.1/d.zip", "(6to4 relay anycast)"),
        ("http://192.175.48.1/d.zip", "(AS112 direct delegation)"),
        ("http://198.18.0.1/d.zip", "(benchmarking)"),
        ("http://198.19.255.254/d.zip", "(benchmarking)"),
        ("http://198.51.100.1/d.zip", "(documentation)"),
        ("http://203.0.113.1/d.zip", "(documentation)"),
        ("http://224.0.0.1/d.zip", "(multicast)"),
        ("http://240.0.0.1/d.zip", "(reserved)"),
        ("http://255.255.255.255/d.zip", "(limited broadcast)"),
        ("http://[::]/d.zip", "(unspecified)"),
        ("http://[::1]/d.zip", "(loopback)"),
        ("http://[::8.8.8.8]/d.zip", "(IPv4-compatible)"),
        ("http://[::ffff:127.0.0.1]/d.zip", "(IPv4-mapped loopback)"),
        ("http://[::ffff:8.8.8.8]/d.zip", "(IPv4-mapped)"),
        ("http://[::ffff:0:8.8.8.8]/d.zip", "(IPv4-translated)"),
        ("http://[64:ff9b::808:808]/d.zip", "(IPv4/IPv6 translation (NAT64))"),
        ("http://[64:ff9b:1::1]/d.zip", "(local-use IPv4/IPv6 translation)"),
        ("http://[100::1]/d.zip", "(discard-only)"),
        ("http://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/d.zip", "(Teredo tunneling)"),
        ("http://[2001:1::1]/d.zip", "(IETF protocol assignments)"),
        ("http://[2001:2::1]/d.zip", "(benchmarking)"),
        ("http://[2001:3::1]/d.zip", "(automatic multicast tunneling)"),
        ("http://[2001:4:112::1]/d.zip", "(AS112 DNS sink)"),
        ("http://[2001:20::1]/d.zip", "(ORCHIDv2)"),
        ("http://[2001:db8::1]/d.zip", "(documentation)"),
        ("http://[2002:808:808::1]/d.zip", "(6to4)"),
        ("http://[2620:4f:8000::1]/d.zip", "(AS112 direct delegation)"),
        ("http://[3fff::1]/d.zip", "(documentation)"),
        ("http://[5f00::1]/d.zip", "(segment routing (SRv6) SIDs)"),
        ("http://[fd12:3456::1]/d.zip", "(private)"),
        ("http://[fe80::1]/d.zip", "(link-local)"),
        ("http://[fe80::1%25lo]/d.zip", "(link-local)"),
        ("http://[fec0::1]/d.zip", "(site-local)"),
        ("http://[ff02::1]/d.zip", "(multicast)"),
        ("http://[4000::1]/d.zip", "(reserved (outside IPv6 global unicast))"),
    ]

    @Test("Special-purpose addresses are refused without any network traffic", arguments: refused)
    func refusedWithoutNetwork(link: String, reason: String) {
        let error = #expect(throws: TrainingError.self) { try DatasetLinkFetcher().checkWithoutNetwork(link) }
        #expect(error?.code == .invalidArgument)
        #expect(error?.message.contains(reason) == true, "\(error?.message ?? "nil")")
    }

    @Test(
        "Public unicast addresses and host names pass the check that makes no request",
        arguments: ["http://8.8.8.8/d.zip", "https://[2606:4700:4700::1111]/d.zip", "https://datasets.example/d.zip"]
    )
    func publicPasses(link: String) throws {
        try DatasetLinkFetcher().checkWithoutNetwork(link)
    }

    @Test("The operator's allowed networks still win")
    func allowedNetworks() throws {
        var policy = DatasetLinkPolicy.defaults
        policy.allowedHosts = ["10.0.0.0/8", "2002::/16"]
        try DatasetLinkFetcher(policy: policy).checkWithoutNetwork("http://10.1.2.3/d.zip")
        try DatasetLinkFetcher(policy: policy).checkWithoutNetwork("http://[2002:808:808::1]/d.zip")
        #expect(throws: TrainingError.self) { try DatasetLinkFetcher(policy: policy).checkWithoutNetwork("http://192.168.0.1/") }
    }

    @Test("A download to a translated or tunnelled address is refused before any connection")
    func downloadRefused() async throws {
        let scratch = try Scratch()
        let files = ModelFiles(dataDirectory: scratch.url)
        for (link, reason) in [
            ("http://[2002:7f00:1::1]:9/d.zip", "(6to4)"), ("http://[64:ff9b::7f00:1]:9/d.zip", "(NAT64)"),
        ] {
            let error = await #expect(throws: DatasetRejected.self) {
                try await DatasetLinkFetcher().fetch(link, files: files, modelID: ModelIdentifier.generate(), maxBytes: nil)
            }
            #expect(error?.reason.contains(reason) == true, "\(error?.reason ?? "nil")")
        }
        #expect(FakeVolume.files(under: scratch.url).isEmpty)
    }

    @Test("Pricing a link sends no request to its host")
    func pricingMakesNoRequest() async throws {
        let http = try await LocalHTTPServer.start(routes: ["/d.zip": .bytes(Data(count: 300_000))])
        var policy = DatasetLinkPolicy.defaults
        policy.allowedHosts = ["127.0.0.1"]
        let fetcher = DatasetLinkFetcher(policy: policy)
        try fetcher.checkWithoutNetwork(http.url("/d.zip"))
        // Refused links still fail, before the consumer pays.
        let refused = #expect(throws: TrainingError.self) {
            try DatasetLinkFetcher().checkWithoutNetwork(http.url("/d.zip"))
        }
        #expect(refused?.message.contains("loopback") == true)
        #expect(http.requestsReceived.isEmpty, "requests: \(http.requestsReceived)")
        // The server does answer: a download reaches it.
        let scratch = try Scratch()
        _ = try await fetcher.fetch(
            http.url("/d.zip"),
            files: ModelFiles(dataDirectory: scratch.url),
            modelID: ModelIdentifier.generate(),
            maxBytes: nil
        )
        #expect(http.requestsReceived == ["GET /d.zip"])
        try await http.stop()
    }
}
