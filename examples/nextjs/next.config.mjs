/** @type {import("next").NextConfig} */
const nextConfig = {
  // Next.js 16 would otherwise write AGENTS.md into this folder on `next dev`
  // and query the npm registry for upgrade advisories at start.
  agentRules: false,
  experimental: { agentUpgrade: false },
};

export default nextConfig;
