-- The results of a Neovim check script: `check(name, ok, detail)` records one, `finish()` prints them as
-- one JSON line (what test/editors/run.mjs reads), stops the LSP clients and exits 0 when all passed.
local M = { results = {} }

function M.check(name, ok, detail)
  table.insert(M.results, { name = name, ok = ok and true or false, detail = detail })
end

function M.finish()
  local failed = 0
  for _, r in ipairs(M.results) do
    if not r.ok then failed = failed + 1 end
  end
  local v = vim.version()
  io.stdout:write(vim.json.encode({ editor = 'neovim', version = v.major .. '.' .. v.minor .. '.' .. v.patch, results = M.results }) .. '\n')
  io.stdout:flush()
  vim.lsp.stop_client(vim.lsp.get_active_clients(), true)
  os.exit(failed == 0 and 0 or 1)
end

-- The items of a completion request at the end of `text`, added as a new last line of `bufnr` (then removed).
function M.complete_at_end(bufnr, client_id, text, timeout)
  local last = vim.api.nvim_buf_line_count(bufnr)
  vim.api.nvim_buf_set_lines(bufnr, last, last, false, { '', text })
  local answer = vim.lsp.buf_request_sync(bufnr, 'textDocument/completion', {
    textDocument = { uri = vim.uri_from_bufnr(bufnr) },
    position = { line = last + 1, character = #text },
  }, timeout)
  vim.api.nvim_buf_set_lines(bufnr, last, last + 2, false, {})
  local result = answer and answer[client_id] and answer[client_id].result
  return result and (result.items or result) or {}
end

return M
