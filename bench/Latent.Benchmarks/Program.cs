using Latent.Benchmarks;

if (args.Length > 0 && args[0] == "classical")
{
    return ClassicalBenchmark.Run(args[1..]);
}

Console.Error.WriteLine("usage: Latent.Benchmarks classical [IDX file] [methods, e.g. pca,kmeans,gmm,fa]");
return 2;
