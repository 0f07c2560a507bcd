// The instance context (runtime/context.h): what compiled code reads through
// one pointer is the instance's live state, imported objects included.
#include <gtest/gtest.h>

#include <cstring>

#include "interp/interpreter.h"
#include "runtime/context.h"
#include "runtime/linker.h"
#include "runtime/module.h"
#include "runtime/store.h"

namespace kiln::runtime {
namespace {

const char* kExporter = R"((module
  (memory (export "mem") 1 4)
  (table (export "tab") 2 funcref)
  (global (export "g") (mut i32) (i32.const 41))
  (func (export "f") (result i32) (i32.const 7))
  (func (export "grow") (result i32) (memory.grow (i32.const 1)))
  (func (export "grow_table") (result i32) (table.grow (ref.null func) (i32.const 3)))))";

const char* kImporter = R"((module
  (import "e" "mem" (memory 1))
  (import "e" "g" (global (mut i32)))
  (import "e" "f" (func $f (result i32)))
  (type $t (func (result i32)))
  (func $own (result i32) (i32.const 9))))";

TEST(InstanceContext, PointsAtLiveState) {
  Engine engine(interp::with_interpreter({}));
  Store store(engine);
  Linker linker(engine);
  std::shared_ptr<Module> exporter = *Module::from_text(engine, kExporter);
  Instance* e = *linker.instantiate(store, exporter);
  const InstanceContext& c = e->context;
  ASSERT_EQ(c.instance, e);
  EXPECT_EQ(c.thread, &store.thread());
  // Memory 0: base and size, and memory.grow is seen through the context.
  EXPECT_EQ(c.memories[0]->base, e->memories[0]->data());
  EXPECT_EQ(c.memories[0]->size_bytes, 65536u);
  Expected<std::vector<Value>> grown = store.call(e->find_export("grow")->as_func(), {});
  ASSERT_TRUE(grown.has_value());
  EXPECT_EQ(c.memories[0]->size_bytes, 2u * 65536);
  // A table's elements and size follow table.grow, which may move them.
  EXPECT_EQ(c.tables[0]->size, 2u);
  ASSERT_TRUE(store.call(e->find_export("grow_table")->as_func(), {}).has_value());
  EXPECT_EQ(c.tables[0]->size, 5u);
  EXPECT_EQ(c.tables[0]->base, e->tables[0]->data());
  // A global's value, writable in place.
  EXPECT_EQ(c.globals[0]->i32, 41u);
  // Functions: header fields at their offsets; type ids match the engine's.
  const FunctionHeader* f = c.functions[0];
  EXPECT_EQ(f->instance, e);
  EXPECT_EQ(f->type_id, c.type_ids[exporter->ir().func_type_index(0)]);
  const uint8_t* raw = reinterpret_cast<const uint8_t*>(f);
  Instance* instance_at_offset;
  std::memcpy(&instance_at_offset, raw + offsets::kFunctionInstance, sizeof instance_at_offset);
  EXPECT_EQ(instance_at_offset, e);

  // An importer sees the exporter's definitions themselves.
  linker.define_instance("e", *e);
  std::shared_ptr<Module> importer = *Module::from_text(engine, kImporter);
  Instance* i = *linker.instantiate(store, importer);
  EXPECT_EQ(i->context.memories[0], c.memories[0]);
  EXPECT_EQ(i->context.globals[0], c.globals[0]);
  EXPECT_EQ(i->context.functions[0], c.functions[0]);
  EXPECT_EQ(i->context.functions[1]->instance, i);  // its own function
  EXPECT_EQ(i->context.thread, c.thread);
  EXPECT_EQ(i->context.functions[1]->context, &i->context);
}

}  // namespace
}  // namespace kiln::runtime
