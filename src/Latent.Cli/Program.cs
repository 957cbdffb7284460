using System.CommandLine;
using Latent.Cli;

var root = new RootCommand("Latent: unsupervised representation learning (PCA, k-means, mixtures, autoencoders, VAEs) in pure C#.");
root.Subcommands.Add(InfoCommand.Create());
root.Subcommands.Add(DatasetsCommand.Create());
root.Subcommands.Add(ShowCommand.Create());
root.Subcommands.Add(TrainCommand.Create());
root.Subcommands.Add(EncodeCommand.Create());
root.Subcommands.Add(ReconstructCommand.Create());
root.Subcommands.Add(ScoreCommand.Create());
root.Subcommands.Add(FitCommand.Create());
root.Subcommands.Add(TransformCommand.Create());
root.Subcommands.Add(PredictCommand.Create());
return CommandRunner.Run(root, args);
