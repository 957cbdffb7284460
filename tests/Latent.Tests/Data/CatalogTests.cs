using System.Net;
using System.Net.Sockets;
using Latent.Data;
using Latent.Serialization;
using Latent.Tensors;

namespace Latent.Tests.Data;

public class CatalogTests
{
    private static string BundledFolder { get; } = Path.Combine(AppContext.BaseDirectory, "data");

    private static void WritePair(string folder, string prefix, int n, bool gzip = true)
    {
        Directory.CreateDirectory(folder);
        var images = Enumerable.Range(0, n * 28 * 28).Select(i => (float)(i % 256)).ToArray();
        Idx.Write(Path.Combine(folder, $"{prefix}-images-idx3-ubyte{(gzip ? ".gz" : string.Empty)}"), new NumericArray([n, 28, 28], images), gzip: gzip);
        Idx.Write(Path.Combine(folder, $"{prefix}-labels-idx1-ubyte{(gzip ? ".gz" : string.Empty)}"), new NumericArray([n], Enumerable.Range(0, n).Select(i => (float)(i % 10)).ToArray()), gzip: gzip);
    }

    [Fact]
    public void LoadsTheBundledSets()
    {
        var catalog = new DatasetCatalog(new CatalogEnvironment { BundledData = BundledFolder, SystemDatasets = null });
        var mnist = catalog.Load("mnist-10k");
        Assert.Equal((10000, 784, 10), (mnist.Count, mnist.Dimension, mnist.ClassCount));
        Assert.Equal(new ImageShape(1, 28, 28), mnist.ImageShape);
        var digits = catalog.Load("digits-8x8");
        Assert.Equal((1797, 64), (digits.Count, digits.Dimension));
        Assert.Equal(16f, digits.Features.ToArray().Max());
        var survey = catalog.Survey().ToDictionary(e => e.Name);
        Assert.True(survey["mnist-10k"].Found);
        Assert.Equal(10000, survey["mnist-10k"].Count);
        Assert.Equal("1×28×28", survey["mnist-10k"].Shape);
        Assert.False(survey["fashion-mnist"].Found);
        Assert.Contains("will download", survey["fashion-mnist"].Location);
        Assert.Equal(DatasetCatalog.Names.Count, survey.Count);
    }

    [Fact]
    public void SearchesLatentDataThenHomeThenSystem()
    {
        using var root = new TempFolder();
        string latentData = Path.Combine(root.Path, "env"), home = Path.Combine(root.Path, "home"), system = Path.Combine(root.Path, "usr");
        WritePair(Path.Combine(system, "fashion-mnist"), "train", 5);
        WritePair(Path.Combine(home, ".latent", "datasets", "fashion-mnist"), "train", 4);
        WritePair(Path.Combine(home, ".latent", "datasets", "fashion-mnist"), "t10k", 2);
        var catalog = new DatasetCatalog(new CatalogEnvironment { LatentData = latentData, HomeDirectory = home, SystemDatasets = system });
        Assert.Equal(4, catalog.Load("fashion-mnist").Count);
        Assert.Equal(2, catalog.Load("fashion-mnist:test").Count);
        WritePair(Path.Combine(latentData, "fashion-mnist"), "train", 3, gzip: false);
        Assert.Equal(3, catalog.Load("fashion-mnist").Count);
        using (var opened = (IDisposable)catalog.Open("fashion-mnist"))
        {
            Assert.IsType<MappedSource>(opened);
        }

        Directory.Delete(Path.Combine(latentData, "fashion-mnist"), true);
        Directory.Delete(Path.Combine(home, ".latent"), true);
        Assert.Equal(5, catalog.Load("fashion-mnist").Count);
        Assert.StartsWith(Path.Combine(system, "fashion-mnist"), catalog.Survey().Single(e => e.Name == "fashion-mnist").Location);
    }

    [Fact]
    public void DownloadsWhatIsMissingIntoTheUserFolder()
    {
        using var root = new TempFolder();
        var fetcher = new FakeFetcher(root.File("source"));
        WritePair(root.File("source"), "train", 6);
        var catalog = new DatasetCatalog(new CatalogEnvironment { HomeDirectory = root.Path, SystemDatasets = null, Fetcher = fetcher });
        Assert.Equal(6, catalog.Load("mnist").Count);
        Assert.Equal(2, fetcher.Requests.Count);
        Assert.All(fetcher.Requests, r => Assert.StartsWith("http://yann.lecun.com/exdb/mnist/", r.Address.ToString()));
        Assert.Contains(fetcher.Requests, r => r.Sha256 == "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609");
        Assert.True(File.Exists(Path.Combine(root.Path, ".latent", "datasets", "mnist", "train-images-idx3-ubyte.gz")));
        Assert.Equal(6, catalog.Load("mnist").Count);
        Assert.Equal(2, fetcher.Requests.Count);
    }

    [Fact]
    public void FailedDownloadsSayHowToGetTheData()
    {
        using var root = new TempFolder();
        var catalog = new DatasetCatalog(new CatalogEnvironment { HomeDirectory = root.Path, SystemDatasets = null, Fetcher = new FailingFetcher() });
        var exception = Assert.Throws<DatasetUnavailableException>(() => catalog.Load("fashion-mnist"));
        Assert.Contains("apt-get install dataset-fashion-mnist", exception.Message);
        Assert.Contains("no route to host", exception.Message);
        Assert.Contains(Path.Combine(root.Path, ".latent", "datasets", "fashion-mnist"), exception.Message);
        Assert.DoesNotContain('\n', exception.Message);
        var offline = new DatasetCatalog(new CatalogEnvironment { HomeDirectory = root.Path, SystemDatasets = null });
        Assert.Contains("downloading is off", Assert.Throws<DatasetUnavailableException>(() => offline.Load("mnist")).Message);
    }

    [Fact]
    public void HttpFetcherFailsFastAndLeavesNoFile()
    {
        // A port on this machine with nothing listening: the connection is refused at once.
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        using var root = new TempFolder();
        string destination = root.File("x.gz");
        var fetcher = new HttpDatasetFetcher(TimeSpan.FromSeconds(5));
        Assert.ThrowsAny<Exception>(() => fetcher.Fetch(new Uri($"http://127.0.0.1:{port}/x.gz"), destination, new string('0', 64)));
        Assert.Empty(Directory.GetFiles(root.Path));
    }

    [Fact]
    public async Task HttpFetcherChecksTheSha256()
    {
        var listener = new HttpListener();
        int port = FreePort();
        listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        listener.Start();
        var serve = Task.Run(() =>
        {
            for (int i = 0; i < 2; i++)
            {
                var context = listener.GetContext();
                context.Response.OutputStream.Write("hello"u8);
                context.Response.Close();
            }
        });
        try
        {
            using var root = new TempFolder();
            var fetcher = new HttpDatasetFetcher(TimeSpan.FromSeconds(10));
            string good = "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824";
            fetcher.Fetch(new Uri($"http://127.0.0.1:{port}/a"), root.File("a"), good);
            Assert.Equal("hello", File.ReadAllText(root.File("a")));
            var exception = Assert.Throws<InvalidDataException>(() => fetcher.Fetch(new Uri($"http://127.0.0.1:{port}/b"), root.File("b"), new string('1', 64)));
            Assert.Contains(good, exception.Message);
            Assert.False(File.Exists(root.File("b")));
            Assert.Single(Directory.GetFiles(root.Path));
        }
        finally
        {
            await serve.WaitAsync(TimeSpan.FromSeconds(10));
            listener.Stop();
        }
    }

    [Fact]
    public void LoadsPathsAndSyntheticSets()
    {
        using var root = new TempFolder();
        string csv = root.File("t.csv");
        File.WriteAllText(csv, "a,b,y\n1,2,0\n3,4,1\n");
        var fromCsv = new DatasetCatalog(new CatalogEnvironment()).Load(csv + ":label=y");
        Assert.Equal([0, 1], fromCsv.Labels!);
        string npy = root.File("x.npy");
        Npy.Write(npy, new NumericArray([3, 2], [1, 2, 3, 4, 5, 6]));
        Npy.WriteLabels(root.File("x.labels.npy"), [2, 1, 0]);
        var catalog = new DatasetCatalog(new CatalogEnvironment());
        Assert.Equal([2, 1, 0], catalog.Load(npy).Labels!);
        WritePair(root.File("idx"), "train", 3);
        Assert.Equal(3, catalog.Load(root.File("idx")).Count);
        Assert.Equal(3, catalog.Load(Path.Combine(root.File("idx"), "train-images-idx3-ubyte.gz")).ClassCount);
        Assert.Equal((500, 5), (catalog.Load("blobs:n=500,d=5,k=4,seed=2").Count, catalog.Load("blobs:n=500,d=5,k=4,seed=2").Dimension));
        Assert.Equal(8, catalog.Load("onehot8").Count);
        Assert.Equal(3, catalog.Load("swiss-roll:n=10").Dimension);
        var shapes = catalog.Load("shapes:n=20,seed=1");
        Assert.Equal((20, 4096), (shapes.Count, shapes.Dimension));
        Assert.IsType<ShapesSource>(catalog.Open("shapes"));
        Assert.Contains("not a catalog name", Assert.Throws<FileNotFoundException>(() => catalog.Load(root.File("nothing"))).Message);
        Assert.Throws<ArgumentException>(() => catalog.Load("moons:sideways"));
        string bad = root.File("bad.npy");
        File.WriteAllText(bad, "not numpy at all");
        Assert.IsType<DataFormatException>(Record.Exception(() => catalog.Load(bad)));
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private sealed class FakeFetcher(string sourceFolder) : IDatasetFetcher
    {
        public List<(Uri Address, string Sha256)> Requests { get; } = [];

        public void Fetch(Uri address, string destination, string sha256)
        {
            Requests.Add((address, sha256));
            string file = Path.GetFileName(address.LocalPath);
            AtomicFile.WriteAllBytes(destination, File.ReadAllBytes(Path.Combine(sourceFolder, file)));
        }
    }

    private sealed class FailingFetcher : IDatasetFetcher
    {
        public void Fetch(Uri address, string destination, string sha256) => throw new HttpRequestException("no route to host");
    }
}
