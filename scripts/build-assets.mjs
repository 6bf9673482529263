#!/usr/bin/env node
// Copies the third-party front-end files the platform serves from node_modules/ (installed
// from the npm registry by `npm ci`) into src/smartcity/static/vendor/<package>/.
// No bundler: the browser loads these files as they are, from our own host (WhiteNoise).
// A missing file stops the build with a non-zero exit code, so `make assets` fails loudly.

import { copyFileSync, existsSync, mkdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const modules = join(root, "node_modules");
const vendor = join(root, "src", "smartcity", "static", "vendor");

// package name in node_modules -> files to copy (relative to the package folder).
// MapLibre's CSP build: its worker is a file of our own (maplibregl.setWorkerUrl), not a
// blob: URL, which the Content-Security-Policy (worker-src 'self') would refuse. The
// source maps are copied beside the scripts because they name them in a sourceMappingURL
// comment (Django's manifest storage follows that reference).
const ASSETS = {
  "htmx.org": ["dist/htmx.min.js", "LICENSE"],
  "maplibre-gl": [
    "dist/maplibre-gl-csp.js",
    "dist/maplibre-gl-csp.js.map",
    "dist/maplibre-gl-csp-worker.js",
    "dist/maplibre-gl-csp-worker.js.map",
    "dist/maplibre-gl.css",
    "LICENSE.txt",
  ],
  // the pmtiles:// protocol for MapLibre: the platform's own base map (core/basemap.py);
  // BSD-3-Clause, the package ships no licence file (its package.json names it)
  pmtiles: ["dist/pmtiles.js", "dist/pmtiles.js.map"],
  uplot: ["dist/uPlot.iife.min.js", "dist/uPlot.min.css", "LICENSE"],
  "axe-core": ["axe.min.js", "LICENSE"],
};

function fail(message) {
  console.error(`build-assets: ERROR: ${message}`);
  process.exit(1);
}

function packageVersion(pkg) {
  const manifest = join(modules, pkg, "package.json");
  if (!existsSync(manifest)) {
    fail(`package "${pkg}" is not installed in node_modules/ (run \`npm ci\` or \`make assets\`)`);
  }
  return JSON.parse(readFileSync(manifest, "utf8")).version;
}

function copyPackage(pkg, files) {
  const version = packageVersion(pkg);
  const target = join(vendor, pkg);
  mkdirSync(target, { recursive: true });
  for (const file of files) {
    const source = join(modules, pkg, file);
    if (!existsSync(source) || !statSync(source).isFile()) {
      fail(`${pkg}@${version} has no file ${file} (expected at ${relative(root, source)})`);
    }
    const name = file.split("/").pop();
    const destination = join(target, name);
    copyFileSync(source, destination);
    const kib = (statSync(destination).size / 1024).toFixed(1);
    console.log(`copied ${pkg}@${version} ${file} -> ${relative(root, destination)} (${kib} KiB)`);
  }
}

for (const [pkg, files] of Object.entries(ASSETS)) {
  copyPackage(pkg, files);
}
console.log(`build-assets: ${Object.keys(ASSETS).length} packages copied to ${relative(root, vendor)}/`);
