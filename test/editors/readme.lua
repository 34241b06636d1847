-- Runs the README's Neovim snippet as a user would paste it into init.lua (Neovim 0.7+), headless:
-- the first ```lua block of ENTENTE_README, with `entente-language-server` on PATH and
-- ~/Zotero/library.bib in HOME (test/editors/run.mjs prepares both). Then opens paper.md of
-- ENTENTE_WORKSPACE and checks that the snippet's server attached, that its `settings` reached the
-- server (glossary.firstUse = 'warning') and its `init_options` too (the Zotero library completes).
-- Prints one JSON line of results and exits 0 when every check passed, 1 otherwise.
local readme = assert(os.getenv('ENTENTE_README'), 'ENTENTE_README is not set')
local root = assert(os.getenv('ENTENTE_WORKSPACE'), 'ENTENTE_WORKSPACE is not set')
local timeout = 15000
local results = {}

local function check(name, ok, detail)
  table.insert(results, { name = name, ok = ok and true or false, detail = detail })
end

local function finish()
  local failed = 0
  for _, r in ipairs(results) do
    if not r.ok then failed = failed + 1 end
  end
  io.stdout:write(vim.json.encode({ editor = 'neovim', version = tostring(vim.version().major .. '.' .. vim.version().minor .. '.' .. vim.version().patch), results = results }) .. '\n')
  io.stdout:flush()
  vim.lsp.stop_client(vim.lsp.get_active_clients(), true)
  os.exit(failed == 0 and 0 or 1)
end

local ok, err = pcall(function()
  local text = table.concat(vim.fn.readfile(readme), '\n')
  local snippet = text:match('```lua\n(.-)\n```')
  check("the README has a Neovim snippet (a ```lua block)", snippet ~= nil)
  local chunk, load_error = loadstring(snippet or '', 'README.md snippet')
  check('the snippet is valid Lua', chunk ~= nil, tostring(load_error))
  chunk()

  vim.cmd('cd ' .. vim.fn.fnameescape(root))
  vim.cmd('edit ' .. vim.fn.fnameescape(root .. '/paper.md'))
  local bufnr = vim.api.nvim_get_current_buf()
  -- -u NONE turns filetype detection off: setting the filetype fires the snippet's FileType autocommand.
  vim.bo[bufnr].filetype = 'markdown'
  local client
  vim.wait(timeout, function()
    client = vim.lsp.get_active_clients()[1]
    return client ~= nil and client.initialized
  end, 20)
  check('the snippet starts entente-language-server and attaches it to a Markdown buffer', client ~= nil and client.name == 'entente' and vim.lsp.buf_is_attached(bufnr, client.id))
  if not client then return end

  local first_use
  vim.wait(timeout, function()
    for _, d in ipairs(vim.diagnostic.get(bufnr)) do
      if d.code == 'glossary.first-use' and d.severity == vim.diagnostic.severity.WARN then first_use = d end
    end
    return first_use ~= nil
  end, 20)
  check("the snippet's settings reach the server: the first use of VJTF is a warning", first_use ~= nil, vim.inspect(vim.tbl_map(function(d) return d.code .. ' ' .. d.severity end, vim.diagnostic.get(bufnr))))

  local last = vim.api.nvim_buf_line_count(bufnr)
  vim.api.nvim_buf_set_lines(bufnr, last, last, false, { '', 'See [@zotero2024' })
  local answer = vim.lsp.buf_request_sync(bufnr, 'textDocument/completion', {
    textDocument = { uri = vim.uri_from_bufnr(bufnr) },
    position = { line = last + 1, character = #'See [@zotero2024' },
  }, timeout)
  local got = answer and answer[client.id] and answer[client.id].result
  local items = got and (got.items or got) or {}
  check("the snippet's init_options reach the server: ~/Zotero/library.bib completes", items[1] and items[1].label == 'zotero2024library', tostring(items[1] and items[1].label) .. ' of ' .. #items)
end)
if not ok then check('the snippet ran', false, tostring(err)) end
finish()
