using EdgeVision.Daemon.Tests.Host;

namespace EdgeVision.Daemon.Tests.Mqtt;

/// <summary>A certificate authority made for one test with openssl, and a server certificate for 127.0.0.1 it signed.</summary>
internal sealed class TestCa
{
    private TestCa(string directory)
    {
        CaCertificate = Path.Combine(directory, "ca.crt");
        ServerCertificate = Path.Combine(directory, "server.crt");
        ServerKey = Path.Combine(directory, "server.key");
    }

    public string CaCertificate { get; }
    public string ServerCertificate { get; }
    public string ServerKey { get; }

    public static TestCa Create(string directory, string name = "EdgeVision Test CA")
    {
        Skip.If(RepoPaths.Which("openssl") is null, "openssl is not installed: the TLS test cannot make its CA");
        Directory.CreateDirectory(directory);
        var ca = new TestCa(directory);
        string caKey = Path.Combine(directory, "ca.key");
        string csr = Path.Combine(directory, "server.csr");
        string ext = Path.Combine(directory, "server.ext");
        File.WriteAllText(ext, "subjectAltName=IP:127.0.0.1,DNS:localhost\n");
        MosquittoBroker.Run("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
            "-keyout", caKey, "-out", ca.CaCertificate, "-days", "2", "-subj", "/CN=" + name);
        MosquittoBroker.Run("openssl", "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
            "-keyout", ca.ServerKey, "-out", csr, "-subj", "/CN=127.0.0.1");
        MosquittoBroker.Run("openssl", "x509", "-req", "-in", csr, "-CA", ca.CaCertificate, "-CAkey", caKey, "-CAcreateserial",
            "-out", ca.ServerCertificate, "-days", "2", "-extfile", ext);
        return ca;
    }
}
