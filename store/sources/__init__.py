"""Where articles come from: files and folders on disk, the bundled seeds."""
